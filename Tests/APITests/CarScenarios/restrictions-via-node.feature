# Turn restrictions through a node: no_* forbids the one turn, only_* every
# other; what a car may not obey (on red, hgv, except=motorcar) is ignored.
# The behaviours of OSRM's features/car/restrictions.feature.
Feature: turn restrictions via a node

    Scenario: no left turn
        Given a grid size of 200 meters
        Given the node map
            """
              n
            w x e
              s
            """
        And the ways
            | nodes | oneway |
            | sx    | yes    |
            | nx    | -1     |
            | wx    | -1     |
            | ex    | -1     |
        And the relations
            | type        | way:from | way:to | node:via | restriction  |
            | restriction | sx       | wx     | x        | no_left_turn |
        When I route I should get
            | from | to | route |
            | s    | w  |       |
            | s    | n  | sx,nx |
            | s    | e  | sx,ex |

    Scenario: no right turn
        Given a grid size of 200 meters
        Given the node map
            """
              n
            w x e
              s
            """
        And the ways
            | nodes | oneway |
            | sx    | yes    |
            | nx    | -1     |
            | wx    | -1     |
            | ex    | -1     |
        And the relations
            | type        | way:from | way:to | node:via | restriction   |
            | restriction | sx       | ex     | x        | no_right_turn |
        When I route I should get
            | from | to | route |
            | s    | w  | sx,wx |
            | s    | n  | sx,nx |
            | s    | e  |       |

    Scenario: no straight on, the detour taken
        Given a grid size of 200 meters
        Given the node map
            """
            a b x c d
            p       q
              r s t
            """
        And the ways
            | nodes | oneway |
            | ab    | no     |
            | bx    | no     |
            | xc    | no     |
            | cd    | no     |
            | ap    | yes    |
            | pr    | yes    |
            | rs    | yes    |
            | st    | yes    |
            | tq    | yes    |
            | qd    | yes    |
        And the relations
            | type        | way:from | way:to | node:via | restriction    |
            | restriction | bx       | xc     | x        | no_straight_on |
        When I route I should get
            | from | to | route             |
            | a    | d  | ap,pr,rs,st,tq,qd |
            | d    | a  | cd,xc,bx,ab       |

    Scenario: no u-turn where the way turns back on itself
        Given a grid size of 200 meters
        Given the node map
            """
              n
            w x e
              s
            """
        And the ways
            | nodes | oneway |
            | sx    | yes    |
            | nx    | -1     |
            | wx    | -1     |
            | ex    | -1     |
        And the relations
            | type        | way:from | way:to | node:via | restriction |
            | restriction | sx       | wx     | x        | no_u_turn   |
        When I route I should get
            | from | to | route |
            | s    | w  |       |
            | s    | n  | sx,nx |

    Scenario: any no_ value is a prohibition
        Given a grid size of 200 meters
        Given the node map
            """
              n
            w x e
              s
            """
        And the ways
            | nodes | oneway |
            | sx    | yes    |
            | nx    | -1     |
            | wx    | -1     |
            | ex    | -1     |
        And the relations
            | type        | way:from | way:to | node:via | restriction     |
            | restriction | sx       | wx     | x        | no_odd_manoeuvre |
        When I route I should get
            | from | to | route |
            | s    | w  |       |
            | s    | e  | sx,ex |

    Scenario: on-red restrictions bind no router
        Given a grid size of 200 meters
        Given the node map
            """
              n
            w x e
              s
            """
        And the ways
            | nodes | oneway |
            | sx    | yes    |
            | nx    | -1     |
            | wx    | -1     |
            | ex    | -1     |
        And the relations
            | type        | way:from | way:to | node:via | restriction          |
            | restriction | sx       | wx     | x        | no_turn_on_red       |
            | restriction | sx       | ex     | x        | no_right_turn_on_red |
        When I route I should get
            | from | to | route |
            | s    | w  | sx,wx |
            | s    | e  | sx,ex |
            | s    | n  | sx,nx |

    Scenario: only left turn
        Given a grid size of 200 meters
        Given the node map
            """
              n
            w x e
              s
            """
        And the ways
            | nodes | oneway |
            | sx    | yes    |
            | nx    | -1     |
            | wx    | -1     |
            | ex    | -1     |
        And the relations
            | type        | way:from | way:to | node:via | restriction    |
            | restriction | sx       | wx     | x        | only_left_turn |
        When I route I should get
            | from | to | route |
            | s    | w  | sx,wx |
            | s    | n  |       |
            | s    | e  |       |

    Scenario: only right turn
        Given a grid size of 200 meters
        Given the node map
            """
              n
            w x e
              s
            """
        And the ways
            | nodes | oneway |
            | sx    | yes    |
            | nx    | -1     |
            | wx    | -1     |
            | ex    | -1     |
        And the relations
            | type        | way:from | way:to | node:via | restriction     |
            | restriction | sx       | ex     | x        | only_right_turn |
        When I route I should get
            | from | to | route |
            | s    | e  | sx,ex |
            | s    | w  |       |
            | s    | n  |       |

    Scenario: only straight on, and any only_ value
        Given a grid size of 200 meters
        Given the node map
            """
              n     N
            w x e W X E
              s     S
            """
        And the ways
            | nodes | oneway |
            | sx    | yes    |
            | nx    | -1     |
            | wx    | -1     |
            | ex    | -1     |
            | SX    | yes    |
            | NX    | -1     |
            | WX    | -1     |
            | EX    | -1     |
        And the relations
            | type        | way:from | way:to | node:via | restriction      |
            | restriction | sx       | nx     | x        | only_straight_on |
            | restriction | SX       | NX     | X        | only_this_way    |
        When I route I should get
            | from | to | route |
            | s    | n  | sx,nx |
            | s    | w  |       |
            | s    | e  |       |
            | S    | N  | SX,NX |
            | S    | E  |       |

    Scenario: an only_ restriction whose to-way misses the via node is ignored
        Given a grid size of 200 meters
        Given the node map
            """
              n
            w x e r
              s
            """
        And the ways
            | nodes | oneway |
            | sx    | yes    |
            | nx    | -1     |
            | wx    | -1     |
            | ex    | -1     |
            | re    | -1     |
        And the relations
            | type        | way:from | way:to | node:via | restriction   |
            | restriction | sx       | er     | x        | only_right_on |
        When I route I should get
            | from | to | route    |
            | s    | r  | sx,ex,re |
            | s    | w  | sx,wx    |

    Scenario: restriction:hgv binds no car, restriction:motorcar does
        Given a grid size of 200 meters
        Given the node map
            """
              n     N
            w x e W X E
              s     S
            """
        And the ways
            | nodes | oneway |
            | sx    | yes    |
            | nx    | -1     |
            | wx    | -1     |
            | ex    | -1     |
            | SX    | yes    |
            | NX    | -1     |
            | WX    | -1     |
            | EX    | -1     |
        And the relations
            | type        | way:from | way:to | node:via | restriction:hgv | restriction:motorcar |
            | restriction | sx       | nx     | x        | no_straight_on  |                      |
            | restriction | SX       | NX     | X        |                 | no_straight_on       |
        When I route I should get
            | from | to | route |
            | s    | n  | sx,nx |
            | s    | w  | sx,wx |
            | S    | N  |       |
            | S    | W  | SX,WX |

    Scenario: except=motorcar exempts cars from no_ and only_
        Given a grid size of 200 meters
        Given the node map
            """
            b y c   A   B
            a x d     J
              s       S
            """
        And the ways
            | nodes | oneway |
            | sx    | no     |
            | yx    | -1     |
            | ax    | -1     |
            | bx    | no     |
            | cx    | no     |
            | dx    | -1     |
            | SJ    | yes    |
            | AJ    | no     |
            | BJ    | no     |
        And the relations
            | type        | way:from | way:to | node:via | restriction      | except   |
            | restriction | sx       | ax     | x        | no_left_turn     | motorcar |
            | restriction | sx       | bx     | x        | no_left_turn     |          |
            | restriction | sx       | cx     | x        | no_right_turn    |          |
            | restriction | sx       | dx     | x        | no_right_turn    | motorcar |
            | restriction | SJ       | AJ     | J        | only_straight_on | motorcar |
        When I route I should get
            | from | to | route |
            | s    | a  | sx,ax |
            | s    | d  | sx,dx |
            | s    | b  |       |
            | s    | c  |       |
            | S    | A  | SJ,AJ |
            | S    | B  | SJ,BJ |

    Scenario: a restriction on a way split inside a longer road
        Given the node map
            """
                    i
                    |
                f - e
                |   |
        a - b - c - d
                |
                g
                |
                h
            """
        And the ways
            | nodes |
            | abc   |
            | cde   |
            | efc   |
            | cgh   |
            | ei    |
        And the relations
            | type        | way:from | node:via | way:to | restriction   |
            | restriction | abc      | c        | cgh    | no_right_turn |
        When I route I should get
            | from | to | route           |
            | a    | h  | abc,cde,efc,cgh |

    Scenario: two only_ restrictions onto one way
        Given the node map
            """
                e       f
                    a
                c   x   d
                    y
                    b
            """
        And the ways
            | nodes | oneway |
            | ef    | no     |
            | ce    | no     |
            | fd    | no     |
            | ca    | no     |
            | ad    | no     |
            | ax    | no     |
            | xy    | no     |
            | yb    | no     |
            | cb    | no     |
            | db    | no     |
        And the relations
            | type        | way:from | way:to | node:via | restriction      |
            | restriction | ax       | xy     | x        | only_straight_on |
            | restriction | by       | xy     | y        | only_straight_on |
        When I route I should get
            | from | to | route    |
            | a    | b  | ax,xy,yb |
            | b    | a  | yb,xy,ax |

    Scenario: a to-way that runs on through the via node is ambiguous and ignored
        Given the node map
            """
            w---a----x-----b---e
                     |
                     s
            """
        And the ways
            | nodes |
            | axb   |
            | sx    |
            | wa    |
            | be    |
        And the relations
            | type        | way:from | way:to | node:via | restriction  |
            | restriction | sx       | axb    | x        | no_left_turn |
        When I route I should get
            | from | to | route     |
            | s    | w  | sx,axb,wa |
            | s    | e  | sx,axb,be |

    Scenario: restrictions via a node and via ways together, in two tables
        Given the node map
            """
            c
            |
            |   f
            |   |
            b-g-e
            |   |
            |   d
            |
            a
            """
        And the ways
            | nodes |
            | ab    |
            | bc    |
            | bge   |
            | de    |
            | ef    |
        And the relations
            | type        | way:from | way:to | node:via | restriction  |
            | restriction | bge      | ef     | e        | no_left_turn |
        And the relations
            | type        | way:from | way:via | way:to | restriction   |
            | restriction | ab       | bge     | de     | no_right_turn |
        When I route I should get
            | from | to | route              |
            | a    | d  | ab,bc,bge,de       |
