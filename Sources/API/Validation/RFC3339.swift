import Foundation

/// RFC 3339 timestamps in and out, by hand both ways. Formatting: every
/// nearby answer carries ten of them, and Foundation's ISO 8601 format style
/// cost more than the search itself. Parsing (`RFC3339+Parse.swift`): that
/// format style took 30 February for 2 March and 24:00 for the next day.
enum RFC3339 {
    /// The length of what `format` writes.
    static var length: Int { 24 }

    /// `YYYY-MM-DDTHH:MM:SS.mmmZ`, UTC, millisecond precision.
    static func format(_ date: Date) -> String {
        String(unsafeUninitializedCapacity: length) { write(date, into: $0); return length }
    }

    /// `format`'s text, written into the first `length` bytes of `buffer`.
    static func write(_ date: Date, into buffer: UnsafeMutableBufferPointer<UInt8>) {
        // Four-digit years only, as RFC 3339 has them: PostgreSQL's `infinity`
        // and years past 9999 read as the last millisecond of 9999.
        let interval = min(max(date.timeIntervalSince1970, -62_167_219_200), 253_402_300_799.999)
        // To the nearest microsecond first: PostgreSQL keeps microseconds, and a
        // double holds .241 s as .24099…, which floored would read .240. Then
        // floored, so that instants before 1970 fall in the second and day before.
        let (seconds, microsecond) = Int((interval * 1_000_000).rounded()).floorDivided(by: 1_000_000)
        let millisecond = microsecond / 1_000
        let (days, second) = seconds.floorDivided(by: 86_400)
        let date = civil(days)
        precondition(buffer.count >= length)
        let text = buffer.baseAddress!
        DecimalDigits.write(UInt64(date.year), width: 4, to: text)
        text[4] = UInt8(ascii: "-")
        DecimalDigits.write(UInt64(date.month), width: 2, to: text + 5)
        text[7] = UInt8(ascii: "-")
        DecimalDigits.write(UInt64(date.day), width: 2, to: text + 8)
        text[10] = UInt8(ascii: "T")
        DecimalDigits.write(UInt64(second / 3_600), width: 2, to: text + 11)
        text[13] = UInt8(ascii: ":")
        DecimalDigits.write(UInt64(second / 60 % 60), width: 2, to: text + 14)
        text[16] = UInt8(ascii: ":")
        DecimalDigits.write(UInt64(second % 60), width: 2, to: text + 17)
        text[19] = UInt8(ascii: ".")
        DecimalDigits.write(UInt64(millisecond), width: 3, to: text + 20)
        text[23] = UInt8(ascii: "Z")
    }

    /// The proleptic Gregorian date `days` after 1970-01-01, as PostgreSQL
    /// counts (Howard Hinnant's `civil_from_days`). Arithmetic rather than
    /// `gmtime_r`: glibc's takes the process-wide time zone lock on every
    /// call, ten times a nearby answer from every thread answering one.
    static func civil(_ days: Int) -> (year: Int, month: Int, day: Int) {
        let shifted = days + 719_468 // days since 0000-03-01: leap days fall at the end of a year
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153 // 0 is March
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}

private extension Int {
    /// Quotient rounded down and a remainder that is never negative.
    func floorDivided(by divisor: Int) -> (quotient: Int, remainder: Int) {
        let (quotient, remainder) = quotientAndRemainder(dividingBy: divisor)
        return remainder < 0 ? (quotient - 1, remainder + divisor) : (quotient, remainder)
    }
}
