//! `customer-room staff …`: the same binary as the server, for what has to happen before
//! anyone can sign in.
use super::accounts;
use crate::server::{config::Config, db};
use secrecy::ExposeSecret;

pub const USAGE: &str = "\
Usage:
  customer-room                                 serve the app
  customer-room staff add --owner EMAIL [--name NAME]
                                                create the owner and print a one-time link
                                                where they choose their password
  customer-room staff reset-link EMAIL          print a new set-password link for an account

Reads DATABASE_URL and CR_PUBLIC_URL like the server, and runs its migrations first.";

#[derive(Debug, PartialEq)]
pub enum Command {
    Serve,
    Help,
    AddOwner { email: String, name: String },
    ResetLink { email: String },
}

pub fn parse(args: &[String]) -> Result<Command, String> {
    let a: Vec<&str> = args.iter().map(String::as_str).collect();
    match a.as_slice() {
        [] | ["serve"] => Ok(Command::Serve),
        ["help" | "--help" | "-h"] => Ok(Command::Help),
        ["staff", "add", rest @ ..] => {
            let (mut email, mut name) = (None, String::new());
            let mut it = rest.iter();
            while let Some(flag) = it.next() {
                match (*flag, it.next()) {
                    ("--owner", Some(v)) => email = Some(v.to_string()),
                    ("--name", Some(v)) => name = v.to_string(),
                    _ => return Err(format!("I don't understand `{flag}` here.")),
                }
            }
            let email = email.ok_or(
                "Give the owner's email: `customer-room staff add --owner EMAIL`. \
                 Everyone else is invited by the owner from /staff/team.",
            )?;
            Ok(Command::AddOwner { email, name })
        }
        ["staff", "reset-link", email] => Ok(Command::ResetLink {
            email: email.to_string(),
        }),
        _ => Err(format!("Unknown command `{}`.", a.join(" "))),
    }
}

/// Runs a command-line command (anything but serving); returns the process exit code.
pub async fn run(command: Command) -> i32 {
    let result = match command {
        Command::Serve => return 0,
        Command::Help => {
            println!("{USAGE}");
            return 0;
        }
        Command::AddOwner { email, name } => {
            with_db(|pool, config| async move {
                let link = accounts::add_owner(&pool, &config, &email, &name).await?;
                Ok(format!(
                    "Owner account created for {}.\nOpen this link within 24 hours to choose \
                     the password (it works once):\n\n  {link}\n",
                    email.trim().to_ascii_lowercase()
                ))
            })
            .await
        }
        Command::ResetLink { email } => {
            with_db(|pool, config| async move {
                let link = accounts::reset_link(&pool, &config, &email).await?;
                Ok(format!(
                    "Open this link within 24 hours to choose a new password (it works once):\n\n  {link}\n"
                ))
            })
            .await
        }
    };
    match result {
        Ok(text) => {
            println!("{text}");
            0
        }
        Err(message) => {
            eprintln!("{message}");
            1
        }
    }
}

async fn with_db<F, Fut>(f: F) -> Result<String, String>
where
    F: FnOnce(sqlx::PgPool, Config) -> Fut,
    Fut: std::future::Future<Output = Result<String, crate::model::AppError>>,
{
    let config = Config::from_env().map_err(|e| e.to_string())?;
    let pool = db::connect(config.database_url.expose_secret())
        .await
        .map_err(|e| format!("Could not connect to the database: {e}"))?;
    db::migrate(&pool)
        .await
        .map_err(|e| format!("Could not update the database: {e}"))?;
    f(pool, config).await.map_err(|e| e.to_string())
}
