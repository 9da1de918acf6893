//! The shutdown signal: ctrl-c or SIGTERM (what `docker stop` sends), whichever comes first.

use std::future::Future;

/// Resolves when the process is asked to stop.
///
/// The handlers are installed when this is called, not when the future is first polled: a
/// SIGTERM that arrives between start-up and the first poll (a container stopped while it
/// starts) would otherwise kill the process without draining. Call it before announcing that the
/// server listens. Must be called inside the tokio runtime.
pub fn signal() -> impl Future<Output = ()> + Send + 'static {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let interrupt = signal(SignalKind::interrupt()).ok();
        let terminate = signal(SignalKind::terminate()).ok();
        async move {
            let interrupt = async {
                match interrupt {
                    Some(mut interrupt) => {
                        interrupt.recv().await;
                    }
                    None => std::future::pending::<()>().await,
                }
            };
            let terminate = async {
                match terminate {
                    Some(mut terminate) => {
                        terminate.recv().await;
                    }
                    None => std::future::pending::<()>().await,
                }
            };
            tokio::select! {
                () = interrupt => tracing::info!("ctrl-c received, shutting down"),
                () = terminate => tracing::info!("SIGTERM received, shutting down"),
            }
        }
    }
    #[cfg(not(unix))]
    async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
        tracing::info!("ctrl-c received, shutting down");
    }
}
