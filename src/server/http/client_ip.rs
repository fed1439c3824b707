//! The client's address for rate limits. Forwarded headers are believed only when the
//! connection comes from a proxy listed in `CR_TRUSTED_PROXIES`; anyone else could write
//! any address there and get a fresh rate-limit bucket per request.
use axum::{
    extract::ConnectInfo,
    http::{Extensions, HeaderMap},
};
use ipnet::IpNet;
use std::net::{IpAddr, SocketAddr};

pub fn client_ip(headers: &HeaderMap, extensions: &Extensions, trusted: &[IpNet]) -> IpAddr {
    let peer = extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ci| ci.0.ip())
        .unwrap_or(IpAddr::from([0, 0, 0, 0]));
    from_forwarded(peer, headers, trusted)
}

fn from_forwarded(peer: IpAddr, headers: &HeaderMap, trusted: &[IpNet]) -> IpAddr {
    let is_trusted = |ip: &IpAddr| trusted.iter().any(|net| net.contains(ip));
    if !is_trusted(&peer) {
        return peer;
    }
    // Each proxy appends the address it received from; walk back from the nearest one and
    // stop at the first hop that isn't ours.
    let hops: Vec<IpAddr> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    hops.iter()
        .rev()
        .find(|ip| !is_trusted(ip))
        .copied()
        .or_else(|| hops.first().copied())
        .unwrap_or(peer)
}

/// `CR_TRUSTED_PROXIES`: comma-separated addresses or CIDR ranges.
pub fn parse_trusted(raw: &str) -> Result<Vec<IpNet>, String> {
    raw.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| {
            s.parse::<IpNet>()
                .or_else(|_| s.parse::<IpAddr>().map(IpNet::from))
                .map_err(|_| s.to_string())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn xff(v: &'static str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert("x-forwarded-for", HeaderValue::from_static(v));
        h
    }

    #[test]
    fn forwarded_headers_from_strangers_are_ignored() {
        let trusted = parse_trusted("10.0.0.0/8").unwrap();
        let peer: IpAddr = "203.0.113.9".parse().unwrap();
        assert_eq!(from_forwarded(peer, &xff("1.2.3.4"), &trusted), peer);
    }

    #[test]
    fn the_first_untrusted_hop_is_the_client() {
        let trusted = parse_trusted("10.0.0.0/8, 192.168.1.5").unwrap();
        let peer: IpAddr = "10.0.0.2".parse().unwrap();
        // A client that forges a first entry cannot choose its address.
        let got = from_forwarded(peer, &xff("9.9.9.9, 198.51.100.7, 192.168.1.5"), &trusted);
        assert_eq!(got, "198.51.100.7".parse::<IpAddr>().unwrap());
        assert_eq!(from_forwarded(peer, &HeaderMap::new(), &trusted), peer);
    }

    #[test]
    fn bad_entries_are_reported() {
        assert_eq!(parse_trusted("10.0.0.0/8,nope"), Err("nope".to_string()));
        assert_eq!(parse_trusted("").unwrap().len(), 0);
    }
}
