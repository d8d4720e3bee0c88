import Foundation

extension String {
    /// The string with its percent escapes decoded, or nil when they are not
    /// valid UTF-8. Most path segments hold no escape, and Foundation's
    /// decoding costs a few percent of a cache or route hit (profiled in W5
    /// and W3), so a string without '%' comes back as it is.
    var percentDecoded: String? {
        utf8.contains(UInt8(ascii: "%")) ? removingPercentEncoding : self
    }
}
