# Turn restrictions through one or more ways: the sequence from, via, to is
# forbidden (no_) or, once from and via are taken, the only way on (only_).
Feature: turn restrictions via ways

    Scenario: no right turn through a short way
        Given the node map
            """
            c
            |
            |   f
            |   |
            b---e
            |   |
            a   d
            """
        And the ways
            | nodes |
            | ab    |
            | bc    |
            | be    |
            | de    |
            | ef    |
        And the relations
            | type        | way:from | way:via | way:to | restriction   |
            | restriction | ab       | be      | de     | no_right_turn |
        When I route I should get
            | from | to | route       |
            | a    | d  | ab,be,ef,de |
            | a    | f  | ab,be,ef    |
            | c    | d  | bc,be,de    |
            | c    | f  | bc,be,ef    |

    Scenario: two restrictions sharing their via way
        Given the node map
            """
            c
            |
            |   f
            |   |
            b---e
            |   |
            |   d
            |
            a
            """
        And the ways
            | nodes |
            | ab    |
            | bc    |
            | be    |
            | de    |
            | ef    |
        And the relations
            | type        | way:from | way:via | way:to | restriction   |
            | restriction | ab       | be      | de     | no_right_turn |
            | restriction | bc       | be      | ef     | no_left_turn  |
        When I route I should get
            | from | to | route       |
            | a    | d  | ab,be,ef,de |
            | a    | f  | ab,be,ef    |
            | c    | d  | bc,be,de    |
            | c    | f  | bc,be,de,ef |

    Scenario: only left through a short way
        Given the node map
            """
            c
            |
            |   f
            |   |
            b---e
            |   |
            a   d
            """
        And the ways
            | nodes |
            | ab    |
            | bc    |
            | be    |
            | de    |
            | ef    |
        And the relations
            | type        | way:from | way:via | way:to | restriction  |
            | restriction | ab       | be      | ef     | only_left_on |
        When I route I should get
            | from | to | route       |
            | a    | d  | ab,be,ef,de |
            | a    | f  | ab,be,ef    |
            | c    | d  | bc,be,de    |

    Scenario: only right through a short way
        Given the node map
            """
            c
            |
            |   f
            |   |
            b---e
            |   |
            a   d
            """
        And the ways
            | nodes |
            | ab    |
            | bc    |
            | be    |
            | de    |
            | ef    |
        And the relations
            | type        | way:from | way:via | way:to | restriction   |
            | restriction | ab       | be      | ed     | only_right_on |
        When I route I should get
            | from | to | route    |
            | a    | d  | ab,be,de |
            | c    | f  | bc,be,ef |

    Scenario: no u-turn through a crossing street, on a dual carriageway
        Given the node map
            """
            a   j
            |   |
            b---i
            |   |
            c---h
            |   |
            d---g
            |   |
            e   f
            """
        And the ways
            | nodes | name   | oneway |
            | ab    | left   | yes    |
            | bc    | left   | yes    |
            | cd    | left   | yes    |
            | de    | left   | yes    |
            | fg    | right  | yes    |
            | gh    | right  | yes    |
            | hi    | right  | yes    |
            | ij    | right  | yes    |
            | dg    | first  | no     |
            | ch    | second | no     |
            | bi    | third  | no     |
        And the relations
            | type        | way:from | way:via | way:to | restriction |
            | restriction | ab       | bi      | ij     | no_u_turn   |
            | restriction | bc       | ch      | hi     | no_u_turn   |
            | restriction | fg       | dg      | de     | no_u_turn   |
            | restriction | gh       | ch      | cd     | no_u_turn   |
        When I route I should get
            | from | to | route                  |
            | a    | j  | left,first,right       |
            | f    | e  | right,third,left       |

    Scenario: a restriction through two via ways
        Given the node map
            """
            a b c d
                  |
              g   e
              |   |
              h - f
            """
        And the ways
            | nodes |
            | ab    |
            | bc    |
            | cd    |
            | de    |
            | ef    |
            | fh    |
            | hg    |
            | bg    |
        And the relations
            | type        | way:from | way:via  | way:to | restriction |
            | restriction | bc       | cd,de    | ef     | no_straight_on |
        When I route I should get
            | from | to | route       |
            | a    | f  | ab,bg,hg,fh |
            | a    | e  | ab,bc,cd,de |
            | a    | d  | ab,bc,cd    |
            | c    | e  | cd,de       |
            | b    | e  | bc,cd,de    |
