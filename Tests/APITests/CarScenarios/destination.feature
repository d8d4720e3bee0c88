# access=destination (and private, delivery, customers on ordinary roads):
# driven to reach or leave a place on the road, never to pass through.
Feature: destination-only roads

    Scenario: a destination-only street is not a shortcut
        Given the node map
            """
            a         e
              b1 c 2d
            x         y
            """
        And the ways
            | nodes | access      |
            | ab    |             |
            | bcd   | destination |
            | de    |             |
            | axye  |             |
        When I route I should get
            | from | to | route      |
            | a    | b  | ab         |
            | a    | c  | ab,bcd     |
            | a    | 2  | ab,bcd     |
            | a    | e  | axye       |
            | e    | 1  | de,bcd     |
            | e    | a  | axye       |

    Scenario: a destination-only street in two parts
        Given the node map
            """
            a         e
              b1 c 2d
            x         y
            """
        And the ways
            | nodes | access      |
            | ab    |             |
            | bc    | destination |
            | cd    | destination |
            | de    |             |
            | axye  |             |
        When I route I should get
            | from | to | route     |
            | a    | c  | ab,bc     |
            | a    | 2  | ab,bc,cd  |
            | a    | e  | axye      |
            | e    | 1  | de,cd,bc  |

    Scenario: inside a destination-only area every route stays in it
        Given the node map
            """
            a   c   e
              b   d
            x       y
            """
        And the ways
            | nodes | access      |
            | ab    | destination |
            | bc    | destination |
            | cd    | destination |
            | de    | destination |
            | axye  |             |
        When I route I should get
            | from | to | route       |
            | a    | e  | ab,bc,cd,de |
            | b    | d  | bc,cd       |

    Scenario: private and delivery roads are for their ends only, too
        Given the node map
            """
            a   b   c   d
            e1      2   f
            g           h
            """
        And the ways
            | nodes | access   |
            | ab    |          |
            | bc    | private  |
            | cd    |          |
            | aeg   |          |
            | gh    |          |
            | hfd   |          |
            | ef    | delivery |
        When I route I should get
            | from | to | route       |
            | a    | d  | aeg,gh,hfd  |
            | a    | 2  | aeg,ef      |
            | b    | c  | bc          |

    Scenario: a private service road is driven when it is the only way
        Given the node map
            """
            a   c   b
                x
                d   e
            """
        And the ways
            | nodes | access  | highway |
            | acb   |         | primary |
            | cxd   | private | service |
            | de    |         | primary |
        When I route I should get
            | from | to | route      |
            | a    | e  | acb,cxd,de |
