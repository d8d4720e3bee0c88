# Roads of every class a car drives, and the ones it does not.
Feature: road classes

    Scenario: a chain of classes is driven end to end
        Given the node map
            """
            a b c d e f g h i j
            """
        And the ways
            | nodes | highway        |
            | ab    | motorway       |
            | bc    | trunk          |
            | cd    | primary        |
            | de    | secondary      |
            | ef    | tertiary       |
            | fg    | unclassified   |
            | gh    | residential    |
            | hi    | living_street  |
            | ij    | service        |
        When I route I should get
            | from | to | route                      |
            | a    | j  | ab,bc,cd,de,ef,fg,gh,hi,ij |

    Scenario: tracks, paths and roads under construction are not
        Given the node map
            """
            a b c d e f
            g h i j k l
            """
        And the ways
            | nodes | highway      | construction |
            | ab    | track        |              |
            | bc    | path         |              |
            | cd    | construction |              |
            | de    | primary      | yes          |
            | ef    | road         |              |
            | ag    | primary      |              |
            | gh    | primary      |              |
            | hb    | primary      |              |
            | hi    | primary      |              |
            | ic    | primary      |              |
            | ij    | primary      |              |
            | jd    | primary      |              |
            | jk    | primary      |              |
            | ke    | primary      |              |
            | kl    | primary      |              |
            | lf    | primary      |              |
        When I route I should get
            | from | to | route    |
            | a    | b  | ag,gh,hb |
            | b    | c  | hb,hi,ic |
            | c    | d  | ic,ij,jd |
            | d    | e  | jd,jk,ke |
            | e    | f  | ke,kl,lf |
