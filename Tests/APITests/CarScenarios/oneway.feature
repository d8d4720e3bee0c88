# Oneways, their car-specific keys, and the oneways roads imply.
Feature: oneways

    Scenario: around the block against a oneway
        Given the node map
            """
            a b
            d c
            """
        And the ways
            | nodes | oneway |
            | ab    | yes    |
            | bc    |        |
            | cd    |        |
            | da    |        |
        When I route I should get
            | from | to | route    |
            | a    | b  | ab       |
            | b    | a  | bc,cd,da |

    Scenario: a reversed oneway
        Given the node map
            """
            a b
            d c
            """
        And the ways
            | nodes | oneway |
            | ab    | -1     |
            | bc    |        |
            | cd    |        |
            | da    |        |
        When I route I should get
            | from | to | route    |
            | b    | a  | ab       |
            | a    | b  | da,cd,bc |

    Scenario: oneway:motorcar and oneway:vehicle bind a car, oneway:bicycle does not
        Given the node map
            """
            a b   e f   i j
            d c   h g   l k
            """
        And the ways
            | nodes | oneway:motorcar | oneway:vehicle | oneway:bicycle |
            | ab    | yes             |                |                |
            | bc    |                 |                |                |
            | cd    |                 |                |                |
            | da    |                 |                |                |
            | ef    |                 | yes            |                |
            | fg    |                 |                |                |
            | gh    |                 |                |                |
            | he    |                 |                |                |
            | ij    |                 |                | yes            |
            | jk    |                 |                |                |
            | kl    |                 |                |                |
            | li    |                 |                |                |
        When I route I should get
            | from | to | route    |
            | b    | a  | bc,cd,da |
            | f    | e  | fg,gh,he |
            | j    | i  | ij       |

    Scenario: oneway=no overrides what a motorway implies, a roundabout is one way
        Given the node map
            """
            a b   e f
            d c   h g
            """
        And the ways
            | nodes | highway  | oneway | junction   |
            | ab    | motorway | no     |            |
            | bc    | primary  |        |            |
            | cd    | primary  |        |            |
            | da    | primary  |        |            |
            | ef    | primary  |        | roundabout |
            | fg    | primary  |        |            |
            | gh    | primary  |        |            |
            | he    | primary  |        |            |
        When I route I should get
            | from | to | route    |
            | b    | a  | ab       |
            | f    | e  | fg,gh,he |

    Scenario: two oneways in a row
        Given the node map
            """
            a b c
            """
        And the ways
            | nodes | oneway |
            | ab    | yes    |
            | bc    | yes    |
        When I route I should get
            | from | to | route |
            | a    | c  | ab,bc |
            | c    | a  |       |

    Scenario: a reversible way is closed, an alternating one open
        Given the node map
            """
            a b c
            d   e
            """
        And the ways
            | nodes | oneway      |
            | ab    | reversible  |
            | bc    | alternating |
            | ad    |             |
            | de    |             |
            | ec    |             |
        When I route I should get
            | from | to | route    |
            | a    | c  | ad,de,ec |
            | b    | c  | bc       |
