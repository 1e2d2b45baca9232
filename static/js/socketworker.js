// The websocket's worker: it owns the socket, so taking in each frame (the browser hands it
// over in a dozen network chunks) and sending acks cost the page's main thread nothing; the
// page gets every message whole, in order (socket.js).
let ws = null;

self.onmessage = ({ data }) => {
  if (data.url) {
    ws = new WebSocket(data.url);
    ws.binaryType = "arraybuffer";
    ws.onopen = () => self.postMessage({ open: true });
    ws.onmessage = ({ data: message }) => {
      if (typeof message === "string") self.postMessage({ text: message });
      else self.postMessage({ frame: message }, [message]);
    };
    ws.onclose = (event) => self.postMessage({ closed: event.code });
  } else if (ws && ws.readyState === WebSocket.OPEN) ws.send(data.send);
};
