//! What a host name in a link or an e-mail domain may be: a name on the
//! public internet, not an address on the sender's own network, and not a
//! look-alike made by mixing alphabets.

use std::net::{Ipv4Addr, Ipv6Addr};

/// Whether a domain's last label is a number (`1.2.3.4`, `127.1`, `0x7f`):
/// top-level domains never are, so such a name is an IP address in disguise.
pub fn looks_numeric(domain: &str) -> bool {
    let last = domain
        .trim_end_matches('.')
        .rsplit('.')
        .next()
        .unwrap_or("");
    let hex = last
        .strip_prefix("0x")
        .or_else(|| last.strip_prefix("0X"))
        .is_some_and(|h| h.bytes().all(|b| b.is_ascii_hexdigit()));
    hex || (!last.is_empty() && last.bytes().all(|b| b.is_ascii_digit()))
}

/// The alphabet of a letter, coarsely: enough to tell a label that mixes
/// Latin with Cyrillic or Greek (`exаmple` with a Cyrillic а) from a real one.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Script {
    Latin,
    Greek,
    Cyrillic,
    Armenian,
    Hebrew,
    Arabic,
    Other(u32),
}

fn script(c: char) -> Option<Script> {
    if !c.is_alphabetic() {
        return None;
    }
    Some(match c as u32 {
        0x41..=0x5A | 0x61..=0x7A | 0xC0..=0x24F | 0x1E00..=0x1EFF => Script::Latin,
        0x370..=0x3FF | 0x1F00..=0x1FFF => Script::Greek,
        0x400..=0x52F | 0x1C80..=0x1C8F | 0x2DE0..=0x2DFF | 0xA640..=0xA69F => Script::Cyrillic,
        0x530..=0x58F => Script::Armenian,
        0x590..=0x5FF => Script::Hebrew,
        0x600..=0x6FF | 0x750..=0x77F | 0x8A0..=0x8FF | 0xFB50..=0xFDFF | 0xFE70..=0xFEFF => {
            Script::Arabic
        }
        // Other letters by their 128-character block: a crude but
        // conservative stand-in for the Unicode Script property.
        n => Script::Other(n >> 7),
    })
}

/// Whether one label of the name mixes letters of two alphabets.
pub fn mixes_scripts(domain: &str) -> bool {
    domain.split('.').any(|label| {
        let mut scripts = label.chars().filter_map(script);
        let first = scripts.next();
        scripts.any(|s| Some(s) != first)
    })
}

fn is_public_v4(ip: Ipv4Addr) -> bool {
    let [a, b, ..] = ip.octets();
    !(ip.is_private()
        || ip.is_loopback()
        || ip.is_link_local()
        || ip.is_unspecified()
        || ip.is_broadcast()
        || ip.is_documentation()
        || ip.is_multicast()
        || a == 0
        || a >= 240
        || (a == 100 && (64..128).contains(&b)))
}

fn is_public_v6(ip: Ipv6Addr) -> bool {
    if let Some(v4) = ip.to_ipv4_mapped() {
        return is_public_v4(v4);
    }
    let first = ip.segments()[0];
    !(ip.is_loopback()
        || ip.is_unspecified()
        || ip.is_multicast()
        || (first & 0xfe00) == 0xfc00
        || (first & 0xffc0) == 0xfe80
        || (first == 0x2001 && ip.segments()[1] == 0x0db8))
}

/// Whether a link's host (as `fluent-uri` gives it, IPv6 in brackets) is a
/// public name or address: not loopback, private, link-local or reserved;
/// not `localhost`; a dotted name (no intranet single labels); no
/// percent-encoding (which would hide the real name); no mixed alphabets.
pub fn is_public(host: &str) -> bool {
    if let Some(inner) = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
        return inner.parse::<Ipv6Addr>().is_ok_and(is_public_v6);
    }
    let name = host.trim_end_matches('.').to_ascii_lowercase();
    if looks_numeric(&name) {
        return name.parse::<Ipv4Addr>().is_ok_and(is_public_v4);
    }
    !name.is_empty()
        && name.contains('.')
        && !name.starts_with('.')
        && !name.contains("..")
        && !name.contains('%')
        && name != "localhost"
        && !name.ends_with(".localhost")
        && !mixes_scripts(&name)
}
