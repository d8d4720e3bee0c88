import Foundation
import GeoCore
import PostgresNIO

/// How attributes travel between the service and `locations.metadata`
/// without a JSON encoder or parser in this module: written as parallel
/// arrays (one entry per field, the row it belongs to, its name, kind and
/// text) that PostgreSQL folds into jsonb; read as one text array per row,
/// each entry `name ␟ kind ␟ text` (␟ is U+001F, which no name holds).
enum AttributeColumns {
    /// The flattened fields of a batch's rows, for the upsert to fold into jsonb.
    struct Flattened {
        var rows: [Int] = []
        var names: [String] = []
        var kinds: [String] = []
        var texts: [String] = []

        /// - Parameter row: the 1-based place of the row in its batch.
        mutating func append(_ attributes: Attributes, row: Int) {
            for field in attributes.fields { append(field, row: row) }
        }

        mutating func append(_ field: Attributes.Field, row: Int) {
            rows.append(row)
            names.append(field.name)
            let (kind, text) = AttributeColumns.kindAndText(field.value)
            kinds.append(kind)
            texts.append(text)
        }
    }

    /// One flattened field (`a.kind`, `a.text`) as a jsonb value. Numbers
    /// travel as their shortest round-trip text into `numeric`, so reading
    /// them back as a Double gives the number written.
    static let folded = """
        CASE a.kind WHEN 'number' THEN to_jsonb(a.text::numeric) WHEN 'boolean' THEN to_jsonb(a.text::boolean)
                    ELSE to_jsonb(a.text) END
        """

    /// `column` when it holds an object, else an empty one: metadata written
    /// by other hands may hold anything.
    static func object(of column: String) -> String {
        "(CASE WHEN jsonb_typeof(\(column)) = 'object' THEN \(column) ELSE '{}'::jsonb END)"
    }

    /// A row's attributes as a text array (`decode` reads it); scalars only,
    /// and nothing for metadata that is not an object.
    static func selected(from column: String) -> String {
        """
        CASE WHEN jsonb_typeof(\(column)) <> 'object' OR \(column) = '{}' THEN '{}'::text[] ELSE ARRAY(
          SELECT e.key || chr(31) || jsonb_typeof(e.value) || chr(31) || (e.value #>> '{}') FROM jsonb_each(\(column)) e
          WHERE jsonb_typeof(e.value) IN ('string', 'number', 'boolean') ORDER BY e.key) END
        """
    }

    static func decode(_ entries: [String]) -> Attributes {
        guard !entries.isEmpty else { return .empty }
        return Attributes(entries.compactMap { entry in
            let parts = entry.split(separator: "\u{1F}", maxSplits: 2, omittingEmptySubsequences: false)
            guard parts.count == 3 else { return nil }
            let text = String(parts[2])
            let value: Attributes.Value
            switch parts[1] {
            case "number":
                guard let number = Double(text), number.isFinite else { return nil }
                value = .number(number)
            case "boolean": value = .bool(text == "true")
            default: value = .string(text)
            }
            return Attributes.Field(name: String(parts[0]), value: value)
        })
    }

    static func kindAndText(_ value: Attributes.Value) -> (kind: String, text: String) {
        switch value {
        case .string(let text): ("string", text)
        case .bool(let flag): ("boolean", flag ? "true" : "false")
        case .number(let number):
            // Whole numbers without Swift's ".0", so that metadata shows 6, not 6.0.
            ("number", number.rounded() == number && abs(number) < 1e15 ? String(Int64(number)) : "\(number)")
        }
    }
}

extension PostgresQuery.StringInterpolation {
    /// All of `fields`' fields (their rows aside) as one jsonb object, `{}` for none.
    mutating func appendInterpolation(objectOf fields: AttributeColumns.Flattened) {
        appendLiteral("coalesce((SELECT jsonb_object_agg(a.name, \(AttributeColumns.folded)) FROM unnest(")
        appendInterpolation(fields.names)
        appendLiteral("::text[], ")
        appendInterpolation(fields.kinds)
        appendLiteral("::text[], ")
        appendInterpolation(fields.texts)
        appendLiteral("::text[]) AS a(name, kind, text)), '{}'::jsonb)")
    }
}
