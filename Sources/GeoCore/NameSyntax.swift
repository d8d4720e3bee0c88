/// The names clients choose (attribute names, tenants, geofence ids):
/// ASCII letters, digits, `_`, `-` and `.`, plus what a kind of name
/// allows besides. Kept to these bytes, a name needs no quoting in a URL,
/// a JSON path or a log line.
public enum NameSyntax {
    public static func isValid(_ name: String, maximumBytes: Int, alsoAllowing extra: [UInt8] = []) -> Bool {
        (1...maximumBytes).contains(name.utf8.count) && name.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "-"), UInt8(ascii: "."):
                true
            default:
                extra.contains(byte)
            }
        }
    }
}
