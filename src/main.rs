#![cfg_attr(not(test), warn(clippy::too_many_lines))]
// See Cargo.toml: glibc's malloc was a quarter of a room view's time.
#[cfg(feature = "ssr")]
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[cfg(feature = "ssr")]
#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    use customer_room::server::staff::cli;
    let args: Vec<String> = std::env::args().skip(1).collect();
    match cli::parse(&args) {
        Ok(cli::Command::Serve) => customer_room::server::app::run().await,
        Ok(command) => std::process::exit(cli::run(command).await),
        Err(message) => {
            eprintln!("{message}\n\n{}", cli::USAGE);
            std::process::exit(2)
        }
    }
}

#[cfg(not(feature = "ssr"))]
pub fn main() {
    // The browser build starts from `hydrate()` in lib.rs.
}
