use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::Type))]
#[cfg_attr(feature = "ssr", sqlx(type_name = "text", rename_all = "snake_case"))]
pub enum StaffRole {
    Owner,
    Office,
    Technician,
}

impl StaffRole {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Owner => "owner",
            Self::Office => "office",
            Self::Technician => "technician",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "owner" => Some(Self::Owner),
            "office" => Some(Self::Office),
            "technician" => Some(Self::Technician),
            _ => None,
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Self::Owner => "Owner",
            Self::Office => "Office",
            Self::Technician => "Technician",
        }
    }
    pub const ALL: [StaffRole; 3] = [Self::Owner, Self::Office, Self::Technician];

    /// Where this role's day starts after signing in.
    pub fn home(self) -> &'static str {
        match self {
            Self::Technician => "/staff/today",
            Self::Owner | Self::Office => "/staff/board",
        }
    }
}

/// Where an account stands: invited people have not set a password yet.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum AccountStatus {
    Invited,
    Active,
    Deactivated,
}

impl AccountStatus {
    pub fn label(self) -> &'static str {
        match self {
            Self::Invited => "Invited",
            Self::Active => "Active",
            Self::Deactivated => "Deactivated",
        }
    }
}

/// One row of the team page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TeamMember {
    pub id: uuid::Uuid,
    pub email: String,
    pub display_name: String,
    pub role: StaffRole,
    pub status: AccountStatus,
    pub is_demo: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StaffUser {
    pub id: uuid::Uuid,
    pub email: String,
    pub display_name: String,
    pub role: StaffRole,
}

/// One entry in the staff view of a request's history, internal notes included.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StaffLogEntry {
    pub kind: String,
    pub body: String,
    pub internal: bool,
    pub actor: String,
    pub at: chrono::DateTime<chrono::Utc>,
}

/// A quote line as staff type it; checked and turned into money on the server.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct QuoteLineInput {
    pub description: String,
    pub quantity: String,
    pub unit_price: String,
}
