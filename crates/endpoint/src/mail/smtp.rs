//! One SMTP exchange with lettre's connection, step by step (connect,
//! STARTTLS, AUTH, MAIL, RCPT, DATA, then the message), so that each failure
//! is told for what it is: before the data, a 4xx or a broken connection is
//! worth retrying and a 5xx is not; once the data is out, a lost answer
//! means the server may have the message (`Attempt::Uncertain`). The whole
//! attempt is bounded here (lettre's own timeout covers the connection only).

use lettre::address::Envelope;
use lettre::transport::smtp::authentication::{Credentials, Mechanism};
use lettre::transport::smtp::client::{AsyncSmtpConnection, TlsParameters};
use lettre::transport::smtp::commands::{Data, Mail, Rcpt};
use lettre::transport::smtp::extension::{ClientId, Extension, MailBodyParameter, MailParameter};
use lettre::transport::smtp::Error;

use super::policy::Attempt;
use super::{MailConfig, Security};

/// Sends `bytes` to the envelope's recipients through the configured
/// server, within `cfg.send_timeout` in all.
pub async fn send(cfg: &MailConfig, envelope: &Envelope, bytes: &[u8]) -> Attempt {
    let data_sent = std::sync::atomic::AtomicBool::new(false);
    match tokio::time::timeout(cfg.send_timeout, exchange(cfg, envelope, bytes, &data_sent)).await {
        Ok(attempt) => attempt,
        Err(_) if data_sent.load(std::sync::atomic::Ordering::SeqCst) => {
            Attempt::Uncertain(format!(
                "no answer within {:?} after the message was sent",
                cfg.send_timeout
            ))
        }
        Err(_) => Attempt::Transient(format!("timed out after {:?}", cfg.send_timeout)),
    }
}

async fn exchange(
    cfg: &MailConfig,
    envelope: &Envelope,
    bytes: &[u8],
    data_sent: &std::sync::atomic::AtomicBool,
) -> Attempt {
    let server = &cfg.server;
    let hello = ClientId::Domain(cfg.message_id_domain.clone());
    let tls = || TlsParameters::new_rustls(server.host.clone());
    let implicit = match server.security {
        Security::Implicit => match tls() {
            Ok(t) => Some(t),
            Err(e) => return Attempt::Permanent(format!("TLS set-up: {e}")),
        },
        _ => None,
    };
    let connect = AsyncSmtpConnection::connect_tokio1(
        (server.host.as_str(), server.port),
        Some(cfg.send_timeout),
        &hello,
        implicit,
        None,
    );
    let mut conn = match connect.await {
        Ok(c) => c,
        Err(e) => return before_data(&e),
    };
    let result = async {
        if server.security == Security::StartTls {
            if !conn.can_starttls() {
                // Never fall back to plaintext: the credentials and the input would travel in clear.
                return Err(Attempt::Transient(
                    "the server does not offer STARTTLS, which smtp:// requires".into(),
                ));
            }
            let params = tls().map_err(|e| Attempt::Permanent(format!("TLS set-up: {e}")))?;
            conn.starttls(params, &hello)
                .await
                .map_err(|e| before_data(&e))?;
        }
        if let Some((user, password)) = &server.credentials {
            let credentials = Credentials::new(user.clone(), password.clone());
            conn.auth(&[Mechanism::Plain, Mechanism::Login], &credentials)
                .await
                .map_err(|e| before_data(&e))?;
        }
        let mut options = vec![];
        if !bytes.is_ascii() && conn.server_info().supports_feature(Extension::EightBitMime) {
            options.push(MailParameter::Body(MailBodyParameter::EightBitMime));
        }
        conn.command(Mail::new(envelope.from().cloned(), options))
            .await
            .map_err(|e| before_data(&e))?;
        for to in envelope.to() {
            conn.command(Rcpt::new(to.clone(), vec![]))
                .await
                .map_err(|e| before_data(&e))?;
        }
        conn.command(Data).await.map_err(|e| before_data(&e))?;
        data_sent.store(true, std::sync::atomic::Ordering::SeqCst);
        conn.message(bytes).await.map_err(|e| after_data(&e))?;
        Ok(())
    }
    .await;
    match result {
        Ok(()) => {
            let _ = conn.quit().await;
            Attempt::Sent
        }
        Err(attempt) => {
            conn.abort().await;
            attempt
        }
    }
}

/// A failure before the message's data was sent: nothing was delivered.
fn before_data(e: &Error) -> Attempt {
    if e.is_permanent() {
        Attempt::Permanent(e.to_string())
    } else {
        Attempt::Transient(e.to_string())
    }
}

/// A failure once the data was sent: an answer is a refusal (4xx, 5xx);
/// no answer leaves it open whether the server has the message.
fn after_data(e: &Error) -> Attempt {
    if e.is_permanent() {
        Attempt::Permanent(e.to_string())
    } else if e.is_transient() {
        Attempt::Transient(e.to_string())
    } else {
        Attempt::Uncertain(format!("no answer after the message was sent: {e}"))
    }
}
