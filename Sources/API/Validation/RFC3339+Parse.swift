import Foundation

extension RFC3339 {
    /// A `date-time` of RFC 3339 section 5.6: `2026-04-01T12:00:00Z`, with
    /// any number of fraction digits (the first nine read; a `Date` of these
    /// years resolves about a quarter of a microsecond, PostgreSQL keeps
    /// microseconds) and `Z` or a `±hh:mm` offset; `T` and `Z` in either
    /// case, as the RFC allows. Days that the month does not have, hour 24,
    /// minute or second 60 (a leap second cannot be told from a typo here),
    /// and anything around the timestamp make it nil.
    static func parse(_ text: String) -> Date? {
        var text = text
        return text.withUTF8 { bytes in
            var reader = Reader(reader: ByteReader(bytes))
            return reader.dateTime()
        }
    }

    /// A `ByteReader` that also reads the fixed-width fields of a timestamp.
    private struct Reader {
        var reader: ByteReader

        mutating func dateTime() -> Date? {
            guard let year = digits(4), take("-"), let month = digits(2), take("-"), let day = digits(2),
                  take("T") || take("t"),
                  let hour = digits(2), take(":"), let minute = digits(2), take(":"), let second = digits(2),
                  (1...12).contains(month), (1...RFC3339.days(inMonth: month, of: year)).contains(day),
                  hour < 24, minute < 60, second < 60 else { return nil }
            var nanoseconds = 0
            if take(".") {
                let start = reader.index
                var scale = 100_000_000
                while let digit = reader.digit() {
                    nanoseconds += digit * scale
                    scale /= 10
                }
                guard reader.index > start else { return nil }
            }
            var offsetSeconds = 0
            if !(take("Z") || take("z")) {
                let sign = take("+") ? 1 : take("-") ? -1 : 0
                guard sign != 0, let hours = digits(2), take(":"), let minutes = digits(2), hours < 24, minutes < 60 else { return nil }
                offsetSeconds = sign * (hours * 3_600 + minutes * 60)
            }
            guard reader.isAtEnd else { return nil }
            let seconds = RFC3339.days(toYear: year, month: month, day: day) * 86_400 + hour * 3_600 + minute * 60 + second - offsetSeconds
            return Date(timeIntervalSince1970: Double(seconds) + Double(nanoseconds) / 1e9)
        }

        private mutating func take(_ character: Unicode.Scalar) -> Bool { reader.take(character) }

        private mutating func digits(_ count: Int) -> Int? {
            var value = 0
            for _ in 0..<count {
                guard let digit = reader.digit() else { return nil }
                value = value * 10 + digit
            }
            return value
        }
    }

    private static func days(inMonth month: Int, of year: Int) -> Int {
        switch month {
        case 2: year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days from 1970-01-01 to a proleptic Gregorian date: `civil`'s inverse
    /// (Howard Hinnant's `days_from_civil`).
    private static func days(toYear year: Int, month: Int, day: Int) -> Int {
        let marchYear = month <= 2 ? year - 1 : year // years that start on 1 March
        let era = (marchYear >= 0 ? marchYear : marchYear - 399) / 400
        let yearOfEra = marchYear - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
