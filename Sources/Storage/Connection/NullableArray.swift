import NIOCore
public import PostgresNIO

/// An array parameter whose elements may be NULL, in PostgreSQL's binary
/// array format. PostgresNIO encodes `[Element]` but not `[Element?]`; batches
/// travel as one such array per column (`unnest`), which costs a fraction of
/// building and parsing a JSON document of the same rows (profiled in W2).
public struct NullableArray<Element: PostgresArrayEncodable & PostgresNonThrowingEncodable>: PostgresNonThrowingEncodable {
    public let elements: [Element?]

    public init(_ elements: [Element?]) {
        self.elements = elements
    }

    public static var psqlType: PostgresDataType { Element.psqlArrayType }
    public static var psqlFormat: PostgresFormat { .binary }

    public func encode<JSONEncoder: PostgresJSONEncoder>(into buffer: inout ByteBuffer, context: PostgresEncodingContext<JSONEncoder>) {
        buffer.writeInteger(Int32(elements.isEmpty ? 0 : 1))  // dimensions
        buffer.writeInteger(Int32(elements.contains { $0 == nil } ? 1 : 0))  // has NULLs
        buffer.writeInteger(Element.psqlType.rawValue)
        guard !elements.isEmpty else { return }
        buffer.writeInteger(Int32(elements.count))
        buffer.writeInteger(Int32(1))  // lower bound
        for element in elements {
            guard let element else {
                buffer.writeInteger(Int32(-1))
                continue
            }
            let lengthAt = buffer.writerIndex
            buffer.writeInteger(Int32(0))
            element.encode(into: &buffer, context: context)
            buffer.setInteger(Int32(buffer.writerIndex - lengthAt - 4), at: lengthAt)
        }
    }
}
