//! TLS for `televent serve --tls-cert --tls-key`: PEM files to a rustls acceptor (ring, TLS 1.2
//! and 1.3, HTTP/1.1 by ALPN). It reads the two files once at start; it must never fall back
//! to plain HTTP when TLS was asked for.

use std::path::Path;
use std::sync::Arc;

use rustls::ServerConfig;
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, PrivateKeyDer};
use tokio_rustls::TlsAcceptor;

/// Why TLS could not be set up, naming the file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TlsError {
    /// The certificate file is missing, unreadable or holds no certificate.
    #[error("cannot read a PEM certificate chain from {0}")]
    Certificate(String),
    /// The key file is missing, unreadable or holds no private key.
    #[error("cannot read a PEM private key from {0}")]
    Key(String),
    /// The key does not fit the certificate, or rustls refused them.
    #[error("the certificate and key are not usable together: {0}")]
    Config(String),
}

/// A TLS acceptor from a PEM certificate chain (leaf first) and its PEM private key.
pub fn acceptor(certificate: &Path, key: &Path) -> Result<TlsAcceptor, TlsError> {
    let chain: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(certificate)
        .and_then(|certs| certs.collect::<Result<Vec<_>, _>>())
        .map_err(|_| TlsError::Certificate(certificate.display().to_string()))?;
    if chain.is_empty() {
        return Err(TlsError::Certificate(certificate.display().to_string()));
    }
    let key = PrivateKeyDer::from_pem_file(key).map_err(|_| TlsError::Key(key.display().to_string()))?;
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|error| TlsError::Config(error.to_string()))?
        .with_no_client_auth()
        .with_single_cert(chain, key)
        .map_err(|error| TlsError::Config(error.to_string()))?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(TlsAcceptor::from(Arc::new(config)))
}
