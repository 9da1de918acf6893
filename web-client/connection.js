// One WebSocket to the room, with reconnection. Shared by the member client and the console.
//
// The owner supplies:
//   join()          the `join` message to send each time the socket opens (null: none yet)
//   onMessage(msg)  every decoded server message
//   onClose(event)  return true to reconnect (with back-off), false to stop
//   onStatus(s)     {state: "connecting"} | {state: "open"} | {state: "retrying", seconds} |
//                   {state: "stopped"}; for showing the connection in words
// Back-off: 1, 2, 4, 8, 15, 30 s (with a little jitter), reset once a seat is confirmed (`seated`).

const DELAYS = [1, 2, 4, 8, 15, 30];

export class Connection {
  constructor({ join, onMessage, onClose, onStatus }) {
    this.join = join;
    this.onMessage = onMessage;
    this.onClose = onClose;
    this.onStatus = onStatus;
    this.socket = null;
    this.attempt = 0;
    this.timer = null;
    this.ticker = null;
    this.stopped = true;
    this.onOnline = () => {
      if (!this.stopped && !this.socket) this.reconnectNow();
    };
    this.onOffline = () => {
      // The browser knows the network is gone: do not wait for the socket to notice.
      if (this.socket) this.socket.close(4100, "offline");
    };
  }

  start() {
    this.stopped = false;
    window.addEventListener("online", this.onOnline);
    window.addEventListener("offline", this.onOffline);
    this.open();
  }

  url() {
    const scheme = location.protocol === "https:" ? "wss:" : "ws:";
    return `${scheme}//${location.host}/ws`;
  }

  open() {
    this.clearTimers();
    this.onStatus({ state: "connecting" });
    let socket;
    try {
      socket = new WebSocket(this.url());
    } catch {
      this.retry();
      return;
    }
    this.socket = socket;
    socket.addEventListener("open", () => {
      if (this.socket !== socket) return;
      this.onStatus({ state: "open" });
      const join = this.join();
      if (join) this.send(join);
    });
    socket.addEventListener("message", (event) => {
      if (this.socket !== socket) return;
      let msg;
      try {
        msg = JSON.parse(event.data);
      } catch {
        return;
      }
      if (msg && typeof msg === "object") this.onMessage(msg);
    });
    socket.addEventListener("close", (event) => {
      if (this.socket !== socket) return;
      this.socket = null;
      if (this.stopped) return;
      if (this.onClose(event)) this.retry();
      else this.stop();
    });
  }

  // The seat is confirmed: the next drop starts the back-off from the beginning.
  seated() {
    this.attempt = 0;
  }

  retry() {
    if (this.stopped) return;
    const base = DELAYS[Math.min(this.attempt, DELAYS.length - 1)];
    this.attempt += 1;
    const jitter = base > 1 ? Math.round(base * 0.2 * (Math.random() - 0.5)) : 0;
    let seconds = Math.max(1, base + jitter);
    this.onStatus({ state: "retrying", seconds });
    this.ticker = setInterval(() => {
      seconds -= 1;
      if (seconds > 0) this.onStatus({ state: "retrying", seconds });
    }, 1000);
    this.timer = setTimeout(() => this.open(), seconds * 1000);
  }

  reconnectNow() {
    if (this.stopped) return;
    if (this.socket) return;
    this.open();
  }

  send(msg) {
    if (this.socket && this.socket.readyState === WebSocket.OPEN) {
      this.socket.send(JSON.stringify(msg));
      return true;
    }
    return false;
  }

  get isOpen() {
    return Boolean(this.socket && this.socket.readyState === WebSocket.OPEN);
  }

  // Stops for good: no reconnection. Closes the socket if it is still open.
  stop() {
    const wasStopped = this.stopped;
    this.stopped = true;
    this.clearTimers();
    window.removeEventListener("online", this.onOnline);
    window.removeEventListener("offline", this.onOffline);
    const socket = this.socket;
    this.socket = null;
    if (socket && socket.readyState <= WebSocket.OPEN) socket.close(1000);
    if (!wasStopped) this.onStatus({ state: "stopped" });
  }

  clearTimers() {
    clearTimeout(this.timer);
    clearInterval(this.ticker);
    this.timer = null;
    this.ticker = null;
  }
}
