public import NIOSSL

/// A server's TLS configuration from PEM files, for `ServerSettings.tls`.
public enum TLSFiles {
    /// TLS 1.2 and up (swift-nio-ssl's defaults) with the certificate chain
    /// in `certificate` and the private key in `key`.
    public static func configuration(certificate: String, key: String) throws -> TLSConfiguration {
        let chain = try NIOSSLCertificate.fromPEMFile(certificate)
        return TLSConfiguration.makeServerConfiguration(
            certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(try NIOSSLPrivateKey(file: key, format: .pem))
        )
    }
}
