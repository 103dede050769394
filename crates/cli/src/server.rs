//! `screening server`: the report server on a port, and its users.

use std::io::Write;
use std::time::Duration;

use screening_server::{Db, NewUser};
use screening_sync::Role;

use crate::args::{RoleArg, ServerArgs, ServerCommand};

pub fn server_cmd(args: ServerArgs) -> Result<(), String> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the async runtime: {e}"))?;
    runtime.block_on(async move {
        match args.command {
            Some(ServerCommand::AddUser { db, name, role, expires_days }) => {
                let db = Db::open(&db).await?;
                let role = match role {
                    RoleArg::Reviewer => Role::Reviewer,
                    RoleArg::Approver => Role::Approver,
                    RoleArg::Admin => Role::Admin,
                };
                let expires_in = expires_days.map(|d| Duration::from_secs(u64::from(d) * 86_400));
                let token = db.add_user(&NewUser { name: name.clone(), role, expires_in }).await?;
                db.close().await;
                let until =
                    expires_days.map_or("until revoked".to_owned(), |d| format!("for {d} days"));
                println!(
                    "added {name} ({}), token valid {until}; it is shown only now:",
                    role.as_str()
                );
                println!("{token}");
                Ok(())
            }
            Some(ServerCommand::Revoke { db, name }) => {
                let db = Db::open(&db).await?;
                let n = db.revoke(&name).await?;
                db.close().await;
                println!("revoked {n} token(s) of {name}");
                Ok(())
            }
            None => {
                let url = args.db.ok_or("--db URL is needed: sqlite://PATH or postgres://…")?;
                let db = Db::open(&url).await?;
                let listener = tokio::net::TcpListener::bind(&args.listen)
                    .await
                    .map_err(|e| format!("cannot listen on {}: {e}", args.listen))?;
                let addr = listener.local_addr().map_err(|e| e.to_string())?;
                println!("listening on http://{addr}");
                let _ = std::io::stdout().flush();
                // Ctrl-C or SIGTERM: stop taking connections, finish the requests in flight.
                let shutdown = async {
                    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).ok();
                    tokio::select! {
                        _ = tokio::signal::ctrl_c() => {}
                        _ = async { match term.as_mut() { Some(t) => { t.recv().await; } None => std::future::pending().await } } => {}
                    }
                };
                screening_server::serve(listener, db.clone(), shutdown)
                    .await
                    .map_err(|e| e.to_string())?;
                db.close().await;
                Ok(())
            }
        }
    })
}
