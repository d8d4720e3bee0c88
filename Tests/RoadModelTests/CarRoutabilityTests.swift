import RoadModel
import Testing

/// OSRM's car routability scenarios (`features/car/*.feature` of
/// Project-OSRM/osrm-backend), table for table: the profile opens exactly
/// the directions OSRM's car profile opens.
@Suite(.timeLimit(.minutes(5)))
struct CarRoutabilityTests {
    static let tables: [(scenario: String, table: String)] = [
        ("access: tag hierarchy on ways", """
            | access | vehicle | motor_vehicle | motorcar | bothw |
            |        |         |               |          | x     |
            | yes    |         |               |          | x     |
            | no     |         |               |          |       |
            |        | yes     |               |          | x     |
            |        | no      |               |          |       |
            | no     | yes     |               |          | x     |
            | yes    | no      |               |          |       |
            |        |         | yes           |          | x     |
            |        |         | no            |          |       |
            | no     |         | yes           |          | x     |
            | yes    |         | no            |          |       |
            |        | no      | yes           |          | x     |
            |        | yes     | no            |          |       |
            |        |         |               | yes      | x     |
            |        |         |               | no       |       |
            | no     |         |               | yes      | x     |
            | yes    |         |               | no       |       |
            |        | no      |               | yes      | x     |
            |        | yes     |               | no       |       |
            |        |         | no            | yes      | x     |
            |        |         | yes           | no       |       |
            """),
        ("access: hierarchy and forward/backward", """
            | access | access:forward | access:backward | motorcar | motorcar:forward | motorcar:backward | forw | backw |
            |        |                |                 |          |                  |                   | x    | x     |
            | yes    |                |                 |          |                  |                   | x    | x     |
            | yes    | no             |                 |          |                  |                   |      | x     |
            | yes    | yes            |                 | no       |                  |                   |      |       |
            | yes    | yes            |                 | yes      | no               |                   |      | x     |
            | yes    |                | no              |          |                  |                   | x    |       |
            | yes    |                | yes             | no       |                  |                   |      |       |
            | yes    |                | yes             | yes      |                  | no                | x    |       |
            | no     |                |                 |          |                  |                   |      |       |
            | no     | yes            |                 |          |                  |                   | x    |       |
            | no     | no             |                 | yes      |                  |                   | x    | x     |
            | no     | no             |                 | no       | yes              |                   | x    |       |
            | no     |                | yes             |          |                  |                   |      | x     |
            | no     |                | no              | yes      |                  |                   | x    | x     |
            | no     |                | no              | no       |                  | yes               |      | x     |
            |        | no             |                 |          | no               |                   |      | x     |
            |        |                | no              |          |                  | no                | x    |       |
            |        | no             |                 |          |                  | no                |      |       |
            |        |                | no              | no       |                  |                   |      |       |
            |        | no             |                 |          | yes              |                   | x    | x     |
            |        |                | no              |          |                  | yes               | x    | x     |
            |        | yes            |                 |          | no               |                   |      | x     |
            |        |                | yes             |          |                  | no                | x    |       |
            """),
        ("access: hierarchy on nodes", """
            | node/access | node/vehicle | node/motor_vehicle | node/motorcar | bothw |
            |             |              |                    |               | x     |
            | yes         |              |                    |               | x     |
            | no          |              |                    |               |       |
            |             | no           |                    |               |       |
            | no          | yes          |                    |               | x     |
            | yes         | no           |                    |               |       |
            |             |              | no                 |               |       |
            | no          |              | yes                |               | x     |
            |             |              |                    | no            |       |
            | no          |              |                    | yes           | x     |
            |             |              | no                 | yes           | x     |
            |             |              | yes                | no            |       |
            """),
        ("access: overwriting implied access on ways", """
            | highway | access | vehicle | motor_vehicle | motorcar | bothw |
            | primary |        |         |               |          | x     |
            | runway  |        |         |               |          |       |
            | primary | no     |         |               |          |       |
            | primary |        | no      |               |          |       |
            | primary |        |         | no            |          |       |
            | primary |        |         |               | no       |       |
            | runway  | yes    |         |               |          | x     |
            | runway  |        | yes     |               |          | x     |
            | runway  |        |         | yes           |          | x     |
            | runway  |        |         |               | yes      | x     |
            """),
        ("access: tags on ways", """
            | access                | bothw |
            | yes                   | x     |
            | permissive            | x     |
            | designated            | x     |
            | no                    |       |
            | private               | x     |
            | agricultural          |       |
            | forestry              |       |
            | psv                   |       |
            | taxi                  |       |
            | bus                   |       |
            | delivery              | x     |
            | some_tag              | x     |
            | destination           | x     |
            | permit                | x     |
            | residents             | x     |
            | foot                  |       |
            | restricted            |       |
            | military              |       |
            | official              |       |
            | emergency_vehicle     |       |
            | unknown               | x     |
            | agricultural;forestry |       |
            """),
        ("access: tags on nodes", """
            | node/access           | bothw |
            | yes                   | x     |
            | no                    |       |
            | private               | x     |
            | agricultural          |       |
            | delivery              | x     |
            | some_tag              | x     |
            | residents             | x     |
            | foot                  |       |
            | unknown               | x     |
            | agricultural;forestry |       |
            """),
        ("access: on both node and way", """
            | access   | node/access | bothw |
            | yes      | yes         | x     |
            | yes      | no          |       |
            | yes      | some_tag    | x     |
            | no       | yes         |       |
            | no       | no          |       |
            | some_tag | yes         | x     |
            | some_tag | no          |       |
            | some_tag | some_tag    | x     |
            """),
        ("access: combinations", """
            | highway      | access       | vehicle    | motor_vehicle | motorcar    | forw | backw |
            | runway       | private      |            |               | permissive  | x    | x     |
            | primary      | forestry     |            | yes           |             | x    | x     |
            | cycleway     |              |            | designated    |             | x    | x     |
            | unclassified |              |            | destination   | destination | x    | x     |
            | residential  |              | yes        | no            |             |      |       |
            | motorway     | yes          | permissive |               | private     | x    |       |
            | trunk        | agricultural | designated | permissive    | no          |      |       |
            | pedestrian   |              |            |               |             |      |       |
            """),
        ("access: other modes' tags are ignored", """
            | highway | foot | bicycle | psv | motorhome | bothw |
            | runway  | yes  |         |     |           |       |
            | primary | no   |         |     |           | x     |
            | runway  |      | yes     |     |           |       |
            | primary |      | no      |     |           | x     |
            | primary |      |         | no  |           | x     |
            | primary |      |         |     | no        | x     |
            """),
        ("barrier: values", """
            | node/barrier   | bothw |
            |                | x     |
            | bollard        |       |
            | gate           | x     |
            | lift_gate      | x     |
            | cattle_grid    | x     |
            | border_control | x     |
            | toll_booth     | x     |
            | sally_port     | x     |
            | entrance       | x     |
            | wall           |       |
            | fence          |       |
            | some_tag       |       |
            | block          |       |
            """),
        ("barrier: access tag trumps barrier", """
            | node/barrier | node/access   | bothw |
            | gate         |               | x     |
            | gate         | yes           | x     |
            | gate         | no            |       |
            | gate         | private       | x     |
            | gate         | agricultural  |       |
            | lift_gate    | no            |       |
            | wall         |               |       |
            | wall         | yes           | x     |
            | wall         | permissive    | x     |
            | wall         | no            |       |
            | wall         | private       | x     |
            """),
        ("barrier: exceptions", """
            | node/barrier      | node/bollard | node/highway | node/kerb | node/sensory | node/maxheight | bothw |
            | bollard           | rising       |              |           |              |                | x     |
            | bollard           | removable    |              |           |              |                |       |
            | kerb              |              |              |           |              |                |       |
            | kerb              |              | crossing     |           |              |                | x     |
            | kerb              |              |              | lowered   |              |                | x     |
            | kerb              |              |              | flush     |              |                | x     |
            | kerb              |              |              | raised    |              |                |       |
            | fence             |              |              |           | audible      |                | x     |
            | height_restrictor |              |              |           |              |                | x     |
            | height_restrictor |              |              |           |              | 1              |       |
            | height_restrictor |              |              |           |              | 3              | x     |
            """),
        ("oneway: simple, reverse and mode specific", """
            | highway | oneway:motorcar | oneway:motor_vehicle | oneway:vehicle | oneway | oneway:bicycle | forw | backw |
            | primary |                 |                      |                | yes    |                | x    |       |
            | primary |                 |                      |                | -1     |                |      | x     |
            | primary |                 |                      |                | 1      |                | x    |       |
            | primary |                 |                      |                | true   |                | x    |       |
            | primary |                 |                      |                |        |                | x    | x     |
            | primary | yes             |                      |                |        |                | x    |       |
            | primary |                 | yes                  |                |        |                | x    |       |
            | primary |                 |                      | yes            |        |                | x    |       |
            | primary | yes             | no                   |                |        |                | x    |       |
            | primary |                 | yes                  | no             |        |                | x    |       |
            | primary |                 |                      | yes            | no     |                | x    |       |
            | primary | no              | yes                  |                |        |                | x    | x     |
            | primary |                 | no                   | yes            |        |                | x    | x     |
            | primary |                 |                      | no             | yes    |                | x    | x     |
            | primary |                 |                      |                |        | yes            | x    | x     |
            | primary |                 |                      |                | yes    | no             | x    |       |
            """),
        ("oneway: implied and overruled", """
            | highway       | junction   | oneway      | forw | backw |
            | motorway      |            |             | x    |       |
            | motorway_link |            |             | x    | x     |
            | primary       |            |             | x    | x     |
            | motorway      | roundabout |             | x    |       |
            | motorway_link | roundabout |             | x    |       |
            | primary       | roundabout |             | x    |       |
            | primary       | circular   |             | x    |       |
            | motorway      |            | no          | x    | x     |
            | motorway_link |            | yes         | x    |       |
            | primary       |            | reversible  |      |       |
            | primary       |            | alternating | x    | x     |
            """),
        ("construction and proposed", """
            | highway      | construction | proposed  | bothw |
            | primary      |              |           | x     |
            | construction |              |           |       |
            | proposed     |              |           |       |
            | proposed     |              | secondary |       |
            | primary      | yes          |           |       |
            | primary      |              | yes       | x     |
            | tertiary     |              | secondary | x     |
            | primary      | no           |           | x     |
            | primary      | widening     |           | x     |
            | primary      | minor        |           | x     |
            """),
        ("ways: classes and steps", """
            | highway        | area | impassable | status     | service          | bothw |
            | motorway_link  |      |            |            |                  | x     |
            | living_street  |      |            |            |                  | x     |
            | service        |      |            |            |                  | x     |
            | track          |      |            |            |                  |       |
            | footway        |      |            |            |                  |       |
            | cycleway       |      |            |            |                  |       |
            | steps          |      |            |            |                  |       |
            | primary        | yes  |            |            |                  |       |
            | primary        |      | yes        |            |                  |       |
            | primary        |      |            | impassable |                  |       |
            | service        |      |            |            | emergency_access |       |
            | service        |      |            |            | parking_aisle    | x     |
            """),
    ]

    @Test(arguments: tables.map(\.scenario))
    func routability(scenario: String) {
        let table = RoutabilityTable(Self.tables.first { $0.scenario == scenario }!.table)
        #expect(!table.cases.isEmpty)
        for entry in table.cases {
            let failures = entry.failures(.car)
            #expect(failures.isEmpty, "\(entry): \(failures.joined(separator: "; "))")
        }
    }
}
