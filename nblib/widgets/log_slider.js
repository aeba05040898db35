// The log slider's browser side (see log_slider.py): a label, a native range input over the
// notches, and a box that shows the value and takes a typed one. The range input's accessible
// value (aria-valuetext) is the number shown, not the notch or the exponent.

let count = 0;

function formatter(spec) {
  // Python's ".2g" (significant digits, no trailing zeros) or ".0f" (decimals) for the readout.
  const [, digits, kind] = /\.(\d+)([fg])/.exec(spec) || [null, "2", "g"];
  return kind === "f"
    ? (value) => value.toFixed(Number(digits))
    : (value) => String(Number(value.toPrecision(Math.max(1, Number(digits)))));
}

function render({ model, el }) {
  const id = `nblib-log-slider-${++count}`;
  const label = Object.assign(document.createElement("label"), { htmlFor: id });
  const range = Object.assign(document.createElement("input"), { type: "range", id, min: 0, step: 1 });
  const box = Object.assign(document.createElement("input"), { type: "text", inputMode: "decimal", spellcheck: false });
  el.classList.add("nblib-log-slider");
  // JupyterLab binds the arrow keys to moving between headings while a notebook is not being edited;
  // on the slider they move the slider instead (the attribute must be on the focused element).
  for (const input of [range, box]) input.setAttribute("data-lm-suppress-shortcuts", "true");
  el.append(label, range, box);

  const notches = () => Math.round((model.get("max") - model.get("min")) / model.get("step"));
  const notchOf = (value) => Math.round((Math.log(value) / Math.log(model.get("base")) - model.get("min")) / model.get("step"));
  const valueOf = (notch) => model.get("base") ** Number((model.get("min") + notch * model.get("step")).toFixed(10));
  const text = (value) => formatter(model.get("readout_format"))(value);

  function speak(value) {
    range.setAttribute("aria-valuetext", text(value));
    box.value = text(value);
  }
  function show() {
    label.textContent = model.get("description");
    box.setAttribute("aria-label", `${model.get("description")}, type a value`);
    range.max = notches();
    range.value = notchOf(model.get("value"));
    speak(model.get("value"));
  }
  function send(value) {
    const low = model.get("base") ** model.get("min"), high = model.get("base") ** model.get("max");
    model.set("value", Math.min(high, Math.max(low, value)));
    model.save_changes();
  }

  range.addEventListener("input", () => speak(valueOf(Number(range.value))));  // while dragging: shown, not sent
  range.addEventListener("change", () => send(valueOf(Number(range.value))));  // released, or an arrow key
  box.addEventListener("change", () => {
    const typed = Number(box.value.trim().replace("−", "-").replace(",", "."));
    if (Number.isFinite(typed) && typed > 0) send(typed);
    show();  // a value that is not a positive number puts the current one back
  });
  box.addEventListener("keydown", (event) => { if (event.key === "Enter") box.blur(); });
  model.on("change", show);
  show();
  return () => model.off("change", show);
}

export default { render };
