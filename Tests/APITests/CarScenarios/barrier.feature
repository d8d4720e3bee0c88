# Barriers: which block a car, which cost time, and what access opens.
Feature: barriers

    Scenario: blocking and passable barriers
        Given the node map
            """
            a b c   d e f   g h i   j k l   m n o   p q r
            s   t   u   v   w   x   y   z   A   B   C   D
            """
        And the nodes
            | node | barrier        | access | locked |
            | b    | bollard        |        |        |
            | e    | gate           |        | yes    |
            | h    | block          |        |        |
            | k    | cattle_grid    |        |        |
            | n    | bollard        | yes    |        |
            | q    | border_control |        |        |
        And the ways
            | nodes |
            | abc   |
            | def   |
            | ghi   |
            | jkl   |
            | mno   |
            | pqr   |
            | as    |
            | st    |
            | tc    |
            | du    |
            | uv    |
            | vf    |
            | gw    |
            | wx    |
            | xi    |
            | jy    |
            | yz    |
            | zl    |
            | mA    |
            | AB    |
            | Bo    |
            | pC    |
            | CD    |
            | Dr    |
        When I route I should get
            | from | to | route    |
            | a    | c  | as,st,tc |
            | d    | f  | du,uv,vf |
            | g    | i  | gw,wx,xi |
            | j    | l  | jkl      |
            | m    | o  | mno      |
            | p    | r  | pqr      |

    Scenario: a gate costs a minute unless access opens it
        Given the node map
            """
            a-b-c   d-e-f   g-h-i
            """
        And the ways
            | nodes |
            | abc   |
            | def   |
            | ghi   |
        And the nodes
            | node | barrier   | access |
            | e    | gate      |        |
            | h    | lift_gate | yes    |
        When I route I should get
            | from | to | route | time    |
            | a    | c  | abc   | 11s +-1 |
            | d    | f  | def   | 71s +-1 |
            | g    | i  | ghi   | 11s +-1 |
