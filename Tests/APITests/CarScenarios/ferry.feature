# Ferries and shuttle trains: taken like roads, at their stated duration.
Feature: ferries

    Scenario: a ferry between two roads
        Given the node map
            """
            a b c
                d
                e f g
            """
        And the ways
            | nodes | highway | route |
            | abc   | primary |       |
            | cde   |         | ferry |
            | efg   | primary |       |
        When I route I should get
            | from | to | route       | time      |
            | a    | g  | abc,cde,efg | 173.5s +-1 |
            | b    | f  | abc,cde,efg | 162.5s +-1 |
            | e    | c  | cde         |
            | e    | a  | cde,abc     |
            | c    | g  | cde,efg     |

    Scenario: a ferry's duration is its time
        Given the node map
            """
            a b c   h i j
                d       k
                e f g   l m n
            """
        And the ways
            | nodes | highway | route | duration |
            | abc   | primary |       |          |
            | cde   |         | ferry | 00:01:00 |
            | efg   | primary |       |          |
            | hij   | primary |       |          |
            | jkl   |         | ferry | PT1M     |
            | lmn   | primary |       |          |
        When I route I should get
            | from | to | route       | time    |
            | c    | e  | cde         | 60s +-1 |
            | e    | c  | cde         | 60s +-1 |
            | j    | l  | jkl         | 60s +-1 |

    Scenario: a shuttle train carries cars
        Given the node map
            """
            a b c
                d
                e f g
            """
        And the ways
            | nodes | highway | route         | duration |
            | abc   | primary |               |          |
            | cde   |         | shuttle_train | 00:05    |
            | efg   | primary |               |          |
        When I route I should get
            | from | to | route       | time     |
            | c    | e  | cde         | 300s +-1 |
            | a    | g  | abc,cde,efg |          |
