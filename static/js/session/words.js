// The page's words for the engine's refusals: "outputActivation: 'softmax' is not allowed
// here: <why>" is shown as "<Why>." (the control it refused is where it is shown).
const HERE = /^[\w.[\]]+: .+? is not allowed here: (.+)$/s;

export function inPageWords(message) {
  const match = HERE.exec(String(message || ""));
  if (!match) return message;
  const why = match[1].trim();
  return why.charAt(0).toUpperCase() + why.slice(1) + (/[.!?]$/.test(why) ? "" : ".");
}
