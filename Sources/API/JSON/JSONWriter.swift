import NIOCore

/// Builds a JSON document by appending bytes to one buffer, for responses on
/// hot paths: a nearby answer written this way costs a fraction of what
/// JSONEncoder spends on the same ten objects (measured with `make bench`, W1).
///
/// Bytes rather than `String` appends (each of which re-checks capacity,
/// uniqueness and ASCII-ness), and rather than a `ByteBuffer` (whose writes
/// retain its storage): both measured slower in a profile of W1. The bytes
/// live in memory this writer owns rather than in an `[UInt8]`: a nearby
/// answer makes hundreds of appends of one to a dozen bytes, and in a W1
/// profile each array append's uniqueness and capacity checks outweighed the
/// bytes it copied. Non-copyable, so that the memory has one owner.
struct JSONWriter: ~Copyable {
    private var start: UnsafeMutablePointer<UInt8>
    private var count = 0
    private var capacity: Int
    private var needsComma = false

    init(capacity: Int = 1_024) {
        self.capacity = max(capacity, 64)
        start = .allocate(capacity: self.capacity)
    }

    deinit {
        start.deallocate()
    }

    private var written: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: start, count: count) }

    /// The document, ready to send.
    var buffer: ByteBuffer { ByteBuffer(bytes: written) }

    /// The document as text, for renderings kept as strings.
    var text: String { String(decoding: written, as: UTF8.self) }

    mutating func beginObject() { separate(); literal("{"); needsComma = false }
    mutating func endObject() { literal("}"); needsComma = true }
    mutating func beginArray(_ key: StaticString) { self.key(key); literal("["); needsComma = false }
    mutating func endArray() { literal("]"); needsComma = true }
    /// An array as an element of the open array (a matrix row).
    mutating func beginArray() { separate(); literal("["); needsComma = false }

    /// A number rounded to `decimals` places as an element of the open
    /// array, or `null` for nil (a table cell nothing reaches).
    mutating func element(_ value: Double?, decimals: Int) {
        separate()
        if let value { appendRounded(value, decimals: decimals) } else { literal("null") }
        needsComma = true
    }

    /// A number as the shortest text that reads back as it, as an element of the open array.
    mutating func element(_ value: Double) {
        separate()
        appendShortest(value)
        needsComma = true
    }

    /// JSON text already (a stored jsonb value) as an element of the open array.
    mutating func element(json: String) {
        separate()
        append(json)
        needsComma = true
    }

    mutating func element(_ value: Bool) {
        separate()
        if value { literal("true") } else { literal("false") }
        needsComma = true
    }

    mutating func element(_ value: Int) {
        separate()
        if value < 0 { literal("-") }
        appendDigits(UInt64(value.magnitude))
        needsComma = true
    }
    mutating func beginObject(_ key: StaticString) { self.key(key); literal("{"); needsComma = false }

    mutating func field(_ key: StaticString, _ value: String) {
        self.key(key)
        appendString(value)
        needsComma = true
    }

    /// Finite numbers only (JSON has no NaN), as the shortest text that reads
    /// back as the same Double.
    ///
    /// Most numbers here are coordinates that phones sent with at most seven
    /// decimals. When `value` is exactly the double nearest some k / 10^7,
    /// that decimal is the only one of seven places or fewer that reads back
    /// as it (doubles this size lie far closer together than 10^-7), so its
    /// digits, trailing zeros dropped, are the shortest text; they are written
    /// as integers, at a fraction of the cost of the general algorithm, which
    /// was most of a nearby answer's formatting. Other numbers go through
    /// `Double.write(to:)`, which hands its digits over without making a
    /// String (`description` allocated one for most coordinates).
    mutating func field(_ key: StaticString, _ value: Double) {
        self.key(key)
        appendShortest(value)
        needsComma = true
    }

    /// `value` rounded to `decimals` places (at most 9) and written without
    /// trailing zeros: distances to the millimetre read better than to a
    /// femtometre. Magnitudes too large for that, and non-finite values, are
    /// written as `field(_:_:)` writes them.
    mutating func field(_ key: StaticString, _ value: Double, decimals: Int) {
        self.key(key)
        appendRounded(value, decimals: decimals)
        needsComma = true
    }

    /// What `field(_:_:)` writes for `value`.
    private mutating func appendShortest(_ value: Double) {
        let units = (value * 1e7).rounded()
        if units.magnitude < 1e15, units / 1e7 == value {
            appendFixed(units, decimals: 7)
        } else if value.isFinite {
            reserve(DigitSink.capacity)
            var digits = DigitSink(destination: start + count)
            value.write(to: &digits)
            count += digits.count
        } else {
            literal("null")
        }
    }

    /// What `field(_:_:decimals:)` writes for `value`.
    private mutating func appendRounded(_ value: Double, decimals: Int) {
        precondition((0...9).contains(decimals))
        let units = (value * Self.powersOfTen[decimals]).rounded()
        guard units.magnitude < 1e15 else { return appendShortest(value) }
        appendFixed(units, decimals: decimals)
    }

    private static let powersOfTen: [Double] = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9]

    /// `units` / 10^`decimals` in decimal, without trailing zeros; `units` is
    /// a whole number below 10^15 in magnitude.
    private mutating func appendFixed(_ units: Double, decimals: Int) {
        if units < 0 { literal("-") }
        var (whole, fraction) = UInt64(units.magnitude).quotientAndRemainder(dividingBy: UInt64(Self.powersOfTen[decimals]))
        appendDigits(whole)
        guard fraction != 0 else { return }
        var places = decimals
        while fraction % 10 == 0 {
            fraction /= 10
            places -= 1
        }
        literal(".")
        appendDigits(fraction, width: places)
    }

    /// A GeoJSON position, `[longitude,latitude]`, as an element of the open
    /// array, each to seven decimals (1.1 cm at most): OpenStreetMap keeps
    /// coordinates to seven, and a point computed from them (a snapped
    /// end, a vertex read back through a projection) would otherwise be
    /// written with the rounding noise of that arithmetic
    /// (`7.4214226000000005`).
    mutating func position(longitude: Double, latitude: Double) {
        separate()
        literal("[")
        appendRounded(longitude, decimals: 7)
        literal(",")
        appendRounded(latitude, decimals: 7)
        literal("]")
        needsComma = true
    }

    mutating func field(_ key: StaticString, _ value: Int) {
        self.key(key)
        if value < 0 { literal("-") }
        appendDigits(UInt64(value.magnitude))
        needsComma = true
    }

    mutating func field(_ key: StaticString, _ value: Bool) {
        self.key(key)
        if value { literal("true") } else { literal("false") }
        needsComma = true
    }

    mutating func field(_ key: StaticString, _ values: [String]) {
        beginArray(key)
        for (position, value) in values.enumerated() {
            if position > 0 { literal(",") }
            appendString(value)
        }
        endArray()
    }

    /// The key of the next member of the open object, escaped: a name that
    /// comes from data (an attribute's) rather than from this service.
    mutating func key(escaping name: String) {
        separate()
        appendString(name)
        literal(":")
        needsComma = false
    }

    /// A string, number or boolean after `key(escaping:)`.
    mutating func value(_ value: String) { appendString(value); needsComma = true }
    mutating func value(_ value: Double) { appendShortest(value); needsComma = true }
    mutating func value(_ value: Bool) { if value { literal("true") } else { literal("false") }; needsComma = true }

    /// A value that is JSON text already (a stored jsonb value), appended as is.
    mutating func field(_ key: StaticString, json: String) {
        self.key(key)
        append(json)
        needsComma = true
    }

    /// Members of the open object that are JSON text already
    /// (`"a":1,"b":2`, rendered once and kept), appended as is.
    mutating func members(_ json: String) {
        separate()
        append(json)
        needsComma = true
    }

    /// A string of exactly `count` bytes that need no escaping (ids,
    /// timestamps), which `write` fills in place: no `String` is made.
    mutating func field(_ key: StaticString, ascii count: Int, _ write: (UnsafeMutableBufferPointer<UInt8>) -> Void) {
        self.key(key)
        literal("\"")
        reserve(count)
        write(UnsafeMutableBufferPointer(start: start + self.count, count: count))
        self.count += count
        literal("\"")
        needsComma = true
    }

    /// `value` as a JSON string literal (encoded polylines hold backslashes).
    static func quoted(_ value: String) -> String {
        var writer = JSONWriter(capacity: value.utf8.count + 2)
        writer.appendString(value)
        return writer.text
    }

    private mutating func separate() {
        if needsComma { literal(",") }
    }

    /// Keys are this service's own literals: never anything to escape.
    private mutating func key(_ key: StaticString) {
        separate()
        literal("\"")
        append(UnsafeBufferPointer(start: key.utf8Start, count: key.utf8CodeUnitCount))
        literal("\":")
        needsComma = false
    }

    private mutating func literal(_ text: StaticString) {
        append(UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    private mutating func append(_ text: String) {
        var text = text
        text.withUTF8 { append($0) }
    }

    private mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let source = bytes.baseAddress else { return }
        reserve(bytes.count)
        // Most appends are a few bytes of punctuation or a key: cheaper copied
        // in place than through a call to memmove.
        if bytes.count <= 16 {
            for offset in 0..<bytes.count { start[count + offset] = source[offset] }
        } else {
            (start + count).update(from: source, count: bytes.count)
        }
        count += bytes.count
    }

    /// `value`'s decimal digits, zero-padded on the left to `width`.
    private mutating func appendDigits(_ value: UInt64, width: Int = 1) {
        let length = max(DecimalDigits.count(value), width)
        reserve(length)
        DecimalDigits.write(value, width: length, to: start + count)
        count += length
    }

    private mutating func append(byte: UInt8) {
        reserve(1)
        start[count] = byte
        count += 1
    }

    @inline(__always)
    private mutating func reserve(_ extra: Int) {
        if count + extra > capacity { grow(toHold: count + extra) }
    }

    private mutating func grow(toHold needed: Int) {
        let larger = max(needed, capacity * 2)
        let moved = UnsafeMutablePointer<UInt8>.allocate(capacity: larger)
        moved.update(from: start, count: count)
        start.deallocate()
        start = moved
        capacity = larger
    }

    private mutating func appendString(_ value: String) {
        literal("\"")
        var value = value
        value.withUTF8 { utf8 in
            // Ids, types and timestamps never need escaping: append them whole.
            guard utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) else {
                append(utf8)
                return
            }
            for byte in utf8 {
                switch byte {
                case UInt8(ascii: "\""): literal("\\\"")
                case UInt8(ascii: "\\"): literal("\\\\")
                case UInt8(ascii: "\n"): literal("\\n")
                case UInt8(ascii: "\r"): literal("\\r")
                case UInt8(ascii: "\t"): literal("\\t")
                case ..<0x20:
                    let hex = String(byte, radix: 16)
                    append("\\u" + String(repeating: "0", count: 4 - hex.count) + hex)
                default: append(byte: byte)
                }
            }
        }
        literal("\"")
    }
}

/// Where `Double.write(to:)` puts a number's text: straight into the writer's
/// reserved bytes. The standard library passes the digits to `_writeASCII`;
/// `write` is the protocol's general path, kept correct though unused.
private struct DigitSink: TextOutputStream {
    /// The longest shortest-round-trip Double, "-2.2250738585072014e-308", is 24 bytes.
    static let capacity = 32

    let destination: UnsafeMutablePointer<UInt8>
    private(set) var count = 0

    init(destination: UnsafeMutablePointer<UInt8>) {
        self.destination = destination
    }

    mutating func _writeASCII(_ buffer: UnsafeBufferPointer<UInt8>) {
        guard let source = buffer.baseAddress else { return }
        precondition(count + buffer.count <= Self.capacity, "a Double's text is at most 24 bytes")
        (destination + count).update(from: source, count: buffer.count)
        count += buffer.count
    }

    mutating func write(_ string: String) {
        var string = string
        string.withUTF8 { _writeASCII($0) }
    }
}
