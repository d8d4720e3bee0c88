# Access tags on ways and nodes, with the car's hierarchy and lists.
Feature: access

    Scenario: ways a car may not use are detoured
        Given the node map
            """
            a b c d e f g h
            i j k l m n o p
            """
        And the ways
            | nodes | access  | motor_vehicle | motorcar | vehicle |
            | ab    | no      |               |          |         |
            | bc    | private |               |          |         |
            | cd    |         | no            |          |         |
            | de    |         |               | no       |         |
            | ef    |         |               |          | no      |
            | fg    | no      |               | yes      |         |
            | gh    | yes     | no            |          |         |
            | ai    |         |               |          |         |
            | ij    |         |               |          |         |
            | jb    |         |               |          |         |
            | jk    |         |               |          |         |
            | kc    |         |               |          |         |
            | kl    |         |               |          |         |
            | ld    |         |               |          |         |
            | lm    |         |               |          |         |
            | me    |         |               |          |         |
            | mn    |         |               |          |         |
            | nf    |         |               |          |         |
            | no    |         |               |          |         |
            | og    |         |               |          |         |
            | op    |         |               |          |         |
            | ph    |         |               |          |         |
        When I route I should get
            | from | to | route       |
            | a    | b  | ai,ij,jb    |
            | c    | d  | kc,kl,ld    |
            | d    | e  | ld,lm,me    |
            | e    | f  | me,mn,nf    |
            | f    | g  | fg          |
            | g    | h  | og,op,ph    |

    Scenario: access on a node: a barrier-less node with access=no blocks
        Given the node map
            """
            a b c
            d   e
            """
        And the nodes
            | node | access |
            | b    | no     |
        And the ways
            | nodes |
            | abc   |
            | ad    |
            | de    |
            | ec    |
        When I route I should get
            | from | to | route      |
            | a    | c  | ad,de,ec   |

    Scenario: steps are never driven, whatever access says
        Given the node map
            """
            a b
            d c
            """
        And the ways
            | nodes | highway | access |
            | ab    | steps   | yes    |
            | bc    | primary |        |
            | cd    | primary |        |
            | da    | primary |        |
        When I route I should get
            | from | to | route    |
            | a    | b  | da,cd,bc |

    Scenario: a semicolon list is resolved to its most permissive part
        Given the node map
            """
            a b
            d c
            """
        And the ways
            | nodes | access        |
            | ab    | no;yes        |
            | bc    |               |
            | cd    |               |
            | da    |               |
        When I route I should get
            | from | to | route |
            | a    | b  | ab    |
