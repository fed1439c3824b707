use sqlx::PgConnection;
use uuid::Uuid;

/// Finds the customer by normalised email, else by phone, else creates one.
/// An existing customer is never changed from a form: anyone can type someone else's email,
/// so the name, phone and address given on a new request live on that request only.
pub async fn find_or_create(
    conn: &mut PgConnection,
    first_name: &str,
    last_name: &str,
    email: Option<&str>,
    phone: Option<&str>,
) -> Result<Uuid, sqlx::Error> {
    let existing = sqlx::query_scalar!(
        "SELECT id FROM customers
         WHERE ($1::text IS NOT NULL AND email = $1)
            OR ($1::text IS NULL AND $2::text IS NOT NULL AND phone = $2)
         ORDER BY (email = $1) DESC NULLS LAST LIMIT 1",
        email,
        phone,
    )
    .fetch_optional(&mut *conn)
    .await?;
    if let Some(id) = existing {
        return Ok(id);
    }
    // ON CONFLICT covers two first requests for one email arriving at the same moment.
    sqlx::query_scalar!(
        "INSERT INTO customers (id, first_name, last_name, email, phone) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (email) WHERE email IS NOT NULL DO UPDATE SET email = EXCLUDED.email
         RETURNING id",
        Uuid::new_v4(),
        first_name,
        last_name,
        email,
        phone,
    )
    .fetch_one(&mut *conn)
    .await
}
