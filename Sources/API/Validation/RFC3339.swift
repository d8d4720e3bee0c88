import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// RFC 3339 timestamps in and out. Formatting is hand-rolled: every nearby
/// answer carries ten of them, and Foundation's ISO 8601 format style cost
/// more than the search itself.
enum RFC3339 {
    static func parse(_ text: String) -> Date? {
        if let date = try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)) { return date }
        return try? Date(text, strategy: Date.ISO8601FormatStyle())
    }

    /// The length of what `format` writes.
    static var length: Int { 24 }

    /// `YYYY-MM-DDTHH:MM:SS.mmmZ`, UTC, millisecond precision.
    static func format(_ date: Date) -> String {
        String(unsafeUninitializedCapacity: length) { write(date, into: $0); return length }
    }

    /// `format`'s text, written into the first `length` bytes of `buffer`.
    static func write(_ date: Date, into buffer: UnsafeMutableBufferPointer<UInt8>) {
        let interval = date.timeIntervalSince1970
        var seconds = time_t(interval.rounded(.down))
        var milliseconds = Int(((interval - Double(seconds)) * 1000).rounded(.down))
        if milliseconds >= 1000 {
            seconds += 1
            milliseconds -= 1000
        }
        var parts = tm()
        gmtime_r(&seconds, &parts)
        var index = 0
        func put(_ value: Int, digits: Int) {
            var remaining = value
            for position in stride(from: digits - 1, through: 0, by: -1) {
                buffer[index + position] = UInt8(ascii: "0") + UInt8(remaining % 10)
                remaining /= 10
            }
            index += digits
        }
        func put(_ character: UInt8) {
            buffer[index] = character
            index += 1
        }
        put(Int(parts.tm_year) + 1900, digits: 4)
        put(UInt8(ascii: "-"))
        put(Int(parts.tm_mon) + 1, digits: 2)
        put(UInt8(ascii: "-"))
        put(Int(parts.tm_mday), digits: 2)
        put(UInt8(ascii: "T"))
        put(Int(parts.tm_hour), digits: 2)
        put(UInt8(ascii: ":"))
        put(Int(parts.tm_min), digits: 2)
        put(UInt8(ascii: ":"))
        put(Int(parts.tm_sec), digits: 2)
        put(UInt8(ascii: "."))
        put(milliseconds, digits: 3)
        put(UInt8(ascii: "Z"))
    }
}
