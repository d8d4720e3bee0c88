import Foundation
import NIOPosix

/// Where a webhook may be sent (OWASP API7, server-side request forgery): a
/// signed POST from inside the network must not reach what only the network
/// can reach. A host that is, or resolves to, a loopback, private, link-local,
/// carrier-grade NAT, multicast, reserved or unspecified address, or an IPv6
/// unique-local one, is refused, unless it lies in one of `allowedNetworks`
/// (`WAYLINE_WEBHOOK_ALLOW_NETWORKS`, a sidecar on loopback say). Only https
/// is sent to by default; http only to allowed networks. Checked when a
/// fence is written and again at each delivery, which then connects to the
/// address it checked (a name that resolves elsewhere a moment later,
/// DNS rebinding, changes nothing).
public struct WebhookPolicy: Sendable {
    public var allowedNetworks: [IPNetwork]

    public init(allowedNetworks: [IPNetwork] = []) {
        self.allowedNetworks = allowedNetworks
    }

    /// Why `url` may not be sent to, or the address to connect to (nil for a
    /// name that does not resolve now: it is checked again at delivery).
    public func check(_ url: String) async -> Result<String?, WebhookRefusal> {
        guard let parts = URLComponents(string: url), let scheme = parts.scheme?.lowercased(), let host = parts.host, !host.isEmpty else {
            return .failure(WebhookRefusal("must be an http or https URL with a host"))
        }
        let literal = host.hasPrefix("[") ? String(host.dropFirst().dropLast()) : host
        let addresses: [IPAddress]
        if let address = IPAddress(literal) {
            addresses = [address]
        } else {
            addresses = await Self.resolve(literal)
            if addresses.isEmpty {
                return scheme == "https" ? .success(nil) : .failure(WebhookRefusal("http is sent only to allowed networks (WAYLINE_WEBHOOK_ALLOW_NETWORKS)"))
            }
        }
        for address in addresses {
            let allowed = allowedNetworks.contains { $0.contains(address) }
            if !allowed, let range = IPNetwork.inside.first(where: { $0.contains(address) }) {
                return .failure(WebhookRefusal("must not reach an internal address (\(address) is in \(range)); WAYLINE_WEBHOOK_ALLOW_NETWORKS can allow it"))
            }
            if scheme != "https", !allowed {
                return .failure(WebhookRefusal("http is sent only to allowed networks (WAYLINE_WEBHOOK_ALLOW_NETWORKS); use https"))
            }
        }
        return .success(addresses[0].description)
    }

    /// The addresses a name resolves to (none when it does not), from the
    /// system resolver on NIO's blocking-work pool.
    static func resolve(_ name: String) async -> [IPAddress] {
        (try? await NIOThreadPool.singleton.runIfActive {
            var hints = addrinfo()
            hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
            var list: UnsafeMutablePointer<addrinfo>?
            guard getaddrinfo(name, nil, &hints, &list) == 0 else { return [IPAddress]() }
            defer { freeaddrinfo(list) }
            var found: [IPAddress] = []
            var entry = list
            while let info = entry?.pointee {
                if info.ai_family == AF_INET, let address = info.ai_addr {
                    address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) {
                        found.append(IPAddress(bytes: withUnsafeBytes(of: $0.pointee.sin_addr) { Array($0) }))
                    }
                } else if info.ai_family == AF_INET6, let address = info.ai_addr {
                    address.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) {
                        found.append(IPAddress(bytes: withUnsafeBytes(of: $0.pointee.sin6_addr) { Array($0) }))
                    }
                }
                entry = info.ai_next
            }
            return found
        }) ?? []
    }
}

/// Why a webhook URL is refused, as a client may read it.
public struct WebhookRefusal: Error, Equatable, Sendable {
    public let reason: String

    init(_ reason: String) {
        self.reason = reason
    }
}

/// An IPv4 (4 bytes) or IPv6 (16 bytes) address.
public struct IPAddress: Sendable, Equatable, CustomStringConvertible {
    public let bytes: [UInt8]

    init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// From its text form; nil when it is not one.
    public init?(_ text: String) {
        var v4 = in_addr()
        var v6 = in6_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            bytes = withUnsafeBytes(of: v4) { Array($0) }
        } else if inet_pton(AF_INET6, text, &v6) == 1 {
            bytes = withUnsafeBytes(of: v6) { Array($0) }
        } else {
            return nil
        }
    }

    public var description: String {
        var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        _ = bytes.withUnsafeBytes { inet_ntop(bytes.count == 4 ? AF_INET : AF_INET6, $0.baseAddress, &text, socklen_t(text.count)) }
        return String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The IPv4 address an IPv6 one carries (IPv4-mapped `::ffff:a.b.c.d`, NAT64 `64:ff9b::a.b.c.d`), if any.
    var embeddedIPv4: IPAddress? {
        guard bytes.count == 16 else { return nil }
        let mapped = bytes[0..<10].allSatisfy { $0 == 0 } && bytes[10] == 0xFF && bytes[11] == 0xFF
        let nat64 = bytes[0..<12] == [0x00, 0x64, 0xFF, 0x9B, 0, 0, 0, 0, 0, 0, 0, 0][...]
        return mapped || nat64 ? IPAddress(bytes: Array(bytes[12..<16])) : nil
    }
}

/// An address range in CIDR form (`10.0.0.0/8`, `fc00::/7`).
public struct IPNetwork: Sendable, Equatable, CustomStringConvertible {
    let base: IPAddress
    let prefix: Int

    public init?(_ cidr: String) {
        let parts = cidr.trimmingCharacters(in: .whitespaces).split(separator: "/", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let base = IPAddress(String(parts[0])) else { return nil }
        let bits = base.bytes.count * 8
        guard let prefix = parts.count == 2 ? Int(parts[1]) : bits, (0...bits).contains(prefix) else { return nil }
        self.base = base
        self.prefix = prefix
    }

    /// Whether `address` lies in the range; an IPv6 address that carries an
    /// IPv4 one is judged by that too.
    public func contains(_ address: IPAddress) -> Bool {
        if address.bytes.count != base.bytes.count {
            return address.embeddedIPv4.map(contains) ?? false
        }
        var bits = prefix
        for (a, b) in zip(address.bytes, base.bytes) where bits > 0 {
            let mask: UInt8 = bits >= 8 ? 0xFF : ~(0xFF >> UInt8(bits))
            if a & mask != b & mask { return false }
            bits -= 8
        }
        return true
    }

    public var description: String { "\(base)/\(prefix)" }

    /// Ranges no webhook reaches unless allowed: RFC 6890's special-purpose
    /// ranges that lead inside a network or nowhere.
    static let inside: [IPNetwork] = [
        "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12", "192.0.0.0/24",
        "192.168.0.0/16", "198.18.0.0/15", "224.0.0.0/4", "240.0.0.0/4",
        "::/128", "::1/128", "fc00::/7", "fe80::/10", "ff00::/8",
    ].compactMap(IPNetwork.init)
}
