import Crypto
public import Foundation

/// How a webhook request is signed, so its receiver can tell it came from
/// Wayline and was not replayed: the header
///
///     X-Wayline-Signature: t=1733400000,v1=<hex HMAC-SHA256 of "1733400000." + body, keyed by the fence's secret>
///
/// (the scheme Stripe's webhooks use). A receiver recomputes the HMAC over
/// the timestamp, a dot and the raw body, compares in constant time, and
/// refuses a timestamp too far from its clock.
public enum WebhookSignature {
    public static let header = "X-Wayline-Signature"

    public static func value(body: [UInt8], secret: String, at time: Date) -> String {
        let timestamp = String(Int64(time.timeIntervalSince1970))
        var signed = Array(timestamp.utf8)
        signed.append(UInt8(ascii: "."))
        signed.append(contentsOf: body)
        let code = HMAC<SHA256>.authenticationCode(for: signed, using: SymmetricKey(data: Array(secret.utf8)))
        return "t=\(timestamp),v1=" + code.map { String(format: "%02x", $0) }.joined()
    }
}
