#[cfg(feature = "ssr")]
#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    customer_room::server::app::run().await
}

#[cfg(not(feature = "ssr"))]
pub fn main() {
    // The browser build starts from `hydrate()` in lib.rs.
}
