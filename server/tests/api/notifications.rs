//! System Notifications is append-only, enforced by the database itself.

use crate::helpers::spawn_app;

#[tokio::test]
async fn system_notifications_cannot_be_changed_or_deleted_in_the_database() {
    let app = spawn_app().await;
    app.add_user("alice", "staff").await;
    let count = || sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM notifications");
    assert_eq!(
        count().fetch_one(&app.sql).await.unwrap(),
        1,
        "creating a user is logged"
    );

    for statement in [
        "UPDATE notifications SET actor = 'nobody'",
        "UPDATE notifications SET reason = NULL WHERE id = 1",
        "DELETE FROM notifications",
        "DELETE FROM notifications WHERE id = 1",
    ] {
        let error = sqlx::query(statement)
            .execute(&app.sql)
            .await
            .expect_err(statement);
        assert!(
            error.to_string().contains("append-only"),
            "{statement}: {error}"
        );
    }

    let actor: String = sqlx::query_scalar("SELECT actor FROM notifications WHERE id = 1")
        .fetch_one(&app.sql)
        .await
        .unwrap();
    assert_eq!(actor, "command line");
    assert_eq!(count().fetch_one(&app.sql).await.unwrap(), 1);
}
