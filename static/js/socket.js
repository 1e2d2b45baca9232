// A websocket whose I/O runs in a worker (socketworker.js), with the part of WebSocket's
// interface the connection uses: send, readyState, onmessage({data}), onclose({code}).
// Without module workers it is a plain WebSocket.

class WorkerSocket {
  constructor(url) {
    this.readyState = WebSocket.CONNECTING;
    this.onmessage = null;
    this.onclose = null;
    this.worker = new Worker(new URL("./socketworker.js", import.meta.url), { type: "module" });
    this.worker.onmessage = ({ data }) => this.received(data);
    this.worker.postMessage({ url });
  }

  received(data) {
    if (data.open) this.readyState = WebSocket.OPEN;
    else if (data.text !== undefined) this.onmessage?.({ data: data.text });
    else if (data.frame) this.onmessage?.({ data: data.frame });
    else if (data.closed !== undefined) {
      this.readyState = WebSocket.CLOSED;
      this.worker.terminate();
      this.onclose?.({ code: data.closed });
    }
  }

  send(text) {
    if (this.readyState === WebSocket.OPEN) this.worker.postMessage({ send: text });
  }
}

/** Open a websocket to `url` (binary messages arrive as ArrayBuffers). */
export function openSocket(url) {
  if (window.Worker) return new WorkerSocket(url);
  const ws = new WebSocket(url);
  ws.binaryType = "arraybuffer";
  return ws;
}
