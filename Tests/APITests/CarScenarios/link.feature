# Links are slower than their roads: a chain of links is no shortcut.
Feature: links

    Scenario: the motorway, not its links, between two junctions
        Given a grid size of 1000 meters
        Given the node map
            """
                e       f
            x a b       c d y
            """
        And the ways
            | nodes | highway       |
            | xa    | unclassified  |
            | ab    | motorway_link |
            | bc    | motorway_link |
            | cd    | motorway_link |
            | ae    | motorway      |
            | ef    | motorway      |
            | fd    | motorway      |
            | dy    | unclassified  |
        When I route I should get
            | from | to | route             |
            | x    | y  | xa,ae,ef,fd,dy    |
            | b    | c  | bc                |

    Scenario: the trunk, not its links
        Given a grid size of 1000 meters
        Given the node map
            """
                e       f
            x a b       c d y
            """
        And the ways
            | nodes | highway      |
            | xa    | unclassified |
            | ab    | trunk_link   |
            | bc    | trunk_link   |
            | cd    | trunk_link   |
            | ae    | trunk        |
            | ef    | trunk        |
            | fd    | trunk        |
            | dy    | unclassified |
        When I route I should get
            | from | to | route          |
            | x    | y  | xa,ae,ef,fd,dy |

    Scenario: the primary road, not its links
        Given a grid size of 1000 meters
        Given the node map
            """
                e       f
            x a b       c d y
            """
        And the ways
            | nodes | highway      |
            | xa    | unclassified |
            | ab    | primary_link |
            | bc    | primary_link |
            | cd    | primary_link |
            | ae    | primary      |
            | ef    | primary      |
            | fd    | primary      |
            | dy    | unclassified |
        When I route I should get
            | from | to | route          |
            | x    | y  | xa,ae,ef,fd,dy |

    Scenario: the secondary and tertiary roads, not their links
        Given a grid size of 1000 meters
        Given the node map
            """
                e       f       E       F
            x a b       c d y X A B       C D Y
            """
        And the ways
            | nodes | highway        |
            | xa    | unclassified   |
            | ab    | secondary_link |
            | bc    | secondary_link |
            | cd    | secondary_link |
            | ae    | secondary      |
            | ef    | secondary      |
            | fd    | secondary      |
            | dy    | unclassified   |
            | XA    | unclassified   |
            | AB    | tertiary_link  |
            | BC    | tertiary_link  |
            | CD    | tertiary_link  |
            | AE    | tertiary       |
            | EF    | tertiary       |
            | FD    | tertiary       |
            | DY    | unclassified   |
        When I route I should get
            | from | to | route          |
            | x    | y  | xa,ae,ef,fd,dy |
            | X    | Y  | XA,AE,EF,FD,DY |
