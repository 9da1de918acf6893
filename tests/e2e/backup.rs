//! `hearth backup` while members chat, and `hearth restore` into a new data directory: the
//! restored server starts with every group and invite of the moment of the backup.

use std::path::Path;

use hearth::auth::AccountInput;
use hearth::domain::GroupId;

use crate::helpers::TestServer;
use crate::process;

async fn backup(data_dir: &Path, file: &Path) -> (bool, String, String) {
    process::run(
        &[
            "backup",
            file.to_str().unwrap(),
            "--data-dir",
            data_dir.to_str().unwrap(),
        ],
        &[],
    )
    .await
}

async fn restore(data_dir: &Path, file: &Path, replace: bool) -> (bool, String, String) {
    let mut args = vec![
        "restore",
        file.to_str().unwrap(),
        "--data-dir",
        data_dir.to_str().unwrap(),
    ];
    if replace {
        args.push("--replace");
    }
    process::run(&args, &[]).await
}

const PASSWORD: &str = "a long enough password for Sam";

#[tokio::test]
async fn a_backup_taken_while_members_chat_restores_every_account_group_and_invite() {
    // Arrange: a live server with an account, groups and invites, and two members talking.
    let server = TestServer::start().await;
    server
        .state
        .auth()
        .create_account(
            &AccountInput {
                username: "sam".into(),
                display_name: "Sam".into(),
                password: PASSWORD.into(),
                is_admin: true,
            },
            server.state.clock().now(),
        )
        .await
        .expect("an account");
    let data_dir = server.state.config().data_dir.clone();
    let mut groups: Vec<(GroupId, String)> = Vec::new();
    for name in ["Tuesday evening", "Grief circle", "New parents"] {
        let group = server.group(name, 12).await;
        groups.push((group, server.invite_for(group).await));
    }
    let mut river = server.join(&groups[0].1, "River").await;
    let mut sky = server.join(&groups[0].1, "Sky").await;
    let said = "a sentence that must never reach a backup";

    // Act: chat on while the backup runs in another process.
    let backups = tempfile::tempdir().unwrap();
    let file = backups.path().join("nightly").join("hearth.db");
    let chatting = async {
        for n in 0..5 {
            river.say(&format!("{said} {n}"), &format!("m{n}")).await;
            sky.recv_text(&format!("{said} {n}")).await;
        }
    };
    let ((ok, out, err), ()) = tokio::join!(backup(&data_dir, &file), chatting);
    assert!(ok, "backup failed: {err}");
    assert!(out.contains("3 groups, 3 invites, 1 accounts"), "{out}");
    // Created after the backup: must not come back.
    let later = server.group("After the backup", 12).await;

    // Assert: owner-only files, no chat text, and no overwriting.
    let secret = backups.path().join("nightly").join("hearth.db.secret.key");
    #[cfg(unix)]
    for path in [&file, &secret] {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "{}", path.display());
    }
    let bytes = std::fs::read(&file).unwrap();
    assert!(
        !bytes.windows(said.len()).any(|w| w == said.as_bytes()),
        "message text in the backup"
    );
    let before = std::fs::read(&file).unwrap();
    let (ok, _, err) = backup(&data_dir, &file).await;
    assert!(!ok && err.contains("already exists"), "{err}");
    assert_eq!(std::fs::read(&file).unwrap(), before);

    // A restore into the live server's directory is refused: it holds the lock.
    let (ok, _, err) = restore(&data_dir, &file, true).await;
    assert!(!ok && err.contains("in use"), "{err}");

    // Restore into a fresh directory and start a server there.
    let restored_dir = tempfile::tempdir().unwrap();
    let (ok, out, err) = restore(restored_dir.path(), &file, false).await;
    assert!(ok, "restore failed: {err}");
    assert!(out.contains("3 groups, 3 invites, 1 accounts"), "{out}");
    let target = restored_dir.path().to_owned();
    let restored = TestServer::start_with(move |config| config.data_dir = target).await;

    for (group, code) in &groups {
        let record = restored.state.store().group(*group).await.unwrap();
        assert!(record.is_some(), "group {group:?} restored");
        let invite = restored
            .state
            .invites()
            .resolve(code, restored.state.clock().now())
            .await
            .unwrap()
            .expect("the invite still works: the secret key came along");
        assert_eq!(invite.group, *group);
    }
    assert!(restored.state.store().group(later).await.unwrap().is_none());
    // The account came back with its password.
    let login = restored
        .state
        .auth()
        .login(
            "sam",
            PASSWORD,
            "127.0.0.1".parse().unwrap(),
            restored.state.clock().now(),
        )
        .await;
    assert!(login.is_ok(), "sam signs in on the restored server");
    // And a member can join with an old invite, as before.
    let mut back = restored.join(&groups[1].1, "Rain").await;
    back.say("hello again", "r1").await;
    assert_eq!(back.recv_type("ack").await["client_id"], "r1");
}

#[tokio::test]
async fn a_restore_over_existing_data_needs_replace_and_keeps_the_old_files_aside() {
    let source = TestServer::start().await;
    let group = source.group("Tuesday evening", 12).await;
    let code = source.invite_for(group).await;
    let backups = tempfile::tempdir().unwrap();
    let file = backups.path().join("hearth.db");
    assert!(backup(&source.state.config().data_dir, &file).await.0);

    // A directory that already has a server's data (its own key and database).
    let other = tempfile::tempdir().unwrap();
    {
        let target = other.path().to_owned();
        let mut previous = TestServer::start_with(move |config| config.data_dir = target).await;
        previous.group("Old group", 12).await;
        previous.shutdown().await.unwrap();
    }

    let (ok, _, err) = restore(other.path(), &file, false).await;
    assert!(!ok && err.contains("--replace"), "{err}");

    let (ok, _, err) = restore(other.path(), &file, true).await;
    assert!(ok, "{err}");
    let aside: Vec<_> = std::fs::read_dir(other.path())
        .unwrap()
        .filter_map(Result::ok)
        .filter(|entry| {
            entry
                .file_name()
                .to_string_lossy()
                .starts_with("before-restore-")
        })
        .collect();
    assert_eq!(aside.len(), 1, "the old files are kept aside");
    assert!(aside[0].path().join("hearth.db").is_file());
    assert!(aside[0].path().join("secret.key").is_file());

    let target = other.path().to_owned();
    let restored = TestServer::start_with(move |config| config.data_dir = target).await;
    let invite = restored
        .state
        .invites()
        .resolve(&code, restored.state.clock().now())
        .await
        .unwrap();
    assert_eq!(invite.map(|i| i.group), Some(group));
}
