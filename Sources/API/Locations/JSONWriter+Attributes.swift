import GeoCore

extension JSONWriter {
    /// `"attributes":{…}`, each value with its own JSON type.
    mutating func field(_ key: StaticString, _ attributes: Attributes) {
        beginObject(key)
        for field in attributes.fields {
            self.key(escaping: field.name)
            switch field.value {
            case .string(let text): value(text)
            case .number(let number): value(number)
            case .bool(let flag): value(flag)
            }
        }
        endObject()
    }
}
