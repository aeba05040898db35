// The microphone widget's browser side (chapter 13, Your voice).
//
// Press record: the browser asks for the microphone, records `duration` seconds at
// `sample_rate` through an AudioWorklet, shows the level while it records, and sends
// the samples to Python as one binary buffer. Python checks them, draws the waveform
// and spectrogram, and sends back the picture, a WAV file for the player and a message.
// Every message the reader sees is written by Python (so tests can check them), except
// the one shown before Python answers: the widget needs a running notebook.

// Runs in the audio thread: hands every block of 128 samples to the page.
const WORKLET = `
registerProcessor("nblib-recorder", class extends AudioWorkletProcessor {
  process(inputs) {
    if (inputs[0].length > 0) this.port.postMessage(inputs[0][0].slice(0));
    return true;
  }
});`;

const CONSTRAINTS = {
  audio: { channelCount: 1, echoCancellation: false, noiseSuppression: false, autoGainControl: false },
};

function failure(error) {
  // The reason Python explains, from the name of the browser's error.
  if (error.name === "NotAllowedError" || error.name === "SecurityError") return "permission";
  if (error.name === "NotFoundError" || error.name === "OverconstrainedError") return "no-device";
  if (error.name === "NotReadableError" || error.name === "AbortError") return "busy";
  return "other";
}

async function record(model, seconds, meter) {
  // Called inside the click: the AudioContext is made and resumed before any await,
  // because a desktop browser starts it suspended unless a click is happening.
  let context = new AudioContext({ sampleRate: model.get("sample_rate") });
  const resumed = context.resume();
  let stream;
  try {
    stream = await navigator.mediaDevices.getUserMedia(CONSTRAINTS);
  } catch (error) {
    context.close();
    throw { reason: failure(error), detail: `${error.name}: ${error.message}` };
  }
  try {
    let source;
    try {
      source = context.createMediaStreamSource(stream);
    } catch (error) {
      // Firefox cannot join a microphone to a context of another rate: record at the
      // device's rate instead; Python resamples.
      context.close();
      context = new AudioContext();
      source = context.createMediaStreamSource(stream);
    }
    await resumed.catch(() => {});  // (a context closed by the fallback above never resumes)
    await context.resume();
    const url = URL.createObjectURL(new Blob([WORKLET], { type: "application/javascript" }));
    await context.audioWorklet.addModule(url);
    URL.revokeObjectURL(url);
    const node = new AudioWorkletNode(context, "nblib-recorder", {
      numberOfInputs: 1, numberOfOutputs: 0, channelCount: 1, channelCountMode: "explicit",
    });
    const wanted = Math.round(seconds * context.sampleRate);
    const samples = new Float32Array(wanted);
    let filled = 0;
    await new Promise((done) => {
      node.port.onmessage = ({ data }) => {
        const block = data.subarray(0, wanted - filled);
        samples.set(block, filled);
        filled += block.length;
        meter(block, filled / wanted);
        if (filled >= wanted) done();
      };
      source.connect(node);
    });
    source.disconnect();
    node.port.onmessage = null;
    return { samples, rate: context.sampleRate };
  } finally {
    // Whatever happened, the microphone is released (its light goes off) and the context closed.
    stream.getTracks().forEach((track) => track.stop());
    context.close();
  }
}

function render({ model, el }) {
  el.classList.add("nblib-microphone");
  el.innerHTML = `
    <div class="nblib-mic-controls">
      <button class="nblib-mic-record" disabled>● record</button>
      <select class="nblib-mic-length" title="how long to record"></select>
      <label class="nblib-mic-file">or open a WAV file <input type="file" accept=".wav,audio/wav" disabled></label>
      <div class="nblib-mic-meter" title="level"><div></div></div>
    </div>
    <div class="nblib-mic-message">This microphone needs a running notebook (JupyterLab or Notebook 7,
      for example on Binder). A static copy of the page cannot record.</div>
    <div class="nblib-mic-result"></div>
    <img class="nblib-mic-picture" alt="waveform and spectrogram of the recording">
    <audio class="nblib-mic-player" controls></audio>`;
  const $ = (selector) => el.querySelector(selector);
  const button = $(".nblib-mic-record"), length = $(".nblib-mic-length"), file = $("input[type=file]");
  const bar = $(".nblib-mic-meter div"), message = $(".nblib-mic-message"), result = $(".nblib-mic-result");
  const picture = $(".nblib-mic-picture"), player = $(".nblib-mic-player");
  let sentAt = null, recordings = 0, urls = [];
  const latencies = [];

  function showLengths() {
    length.innerHTML = model.get("durations").map((s) => `<option value="${s}">${s} s</option>`).join("");
    length.value = String(model.get("duration"));
  }
  function showMessage() {
    message.textContent = model.get("message");
    message.dataset.kind = model.get("message_kind");
  }
  function showBytes(img, trait, type) {
    const view = model.get(trait);
    img.hidden = !view || view.byteLength === 0;
    if (img.hidden) return;
    urls.forEach((old) => old.element === img && URL.revokeObjectURL(old.url));
    urls = urls.filter((old) => old.element !== img);
    const url = URL.createObjectURL(new Blob([view], { type }));
    urls.push({ element: img, url });
    img.src = url;
  }
  function showResult() {
    result.innerHTML = model.get("result");
    if (sentAt !== null && model.get("result")) {
      // From the end of the recording to the answer on screen, in milliseconds.
      latencies.push((performance.now() - sentAt).toFixed(1));
      el.dataset.latencyMs = latencies[latencies.length - 1];
      el.dataset.latencies = latencies.join(" ");
      sentAt = null;
    }
  }
  function meter(block, done) {
    let peak = 0;
    for (const x of block) peak = Math.max(peak, Math.abs(x));
    const db = 20 * Math.log10(Math.max(peak, 1e-5));
    bar.style.width = `${Math.max(0, Math.min(100, (db + 60) / 60 * 100))}%`;
    bar.dataset.clipped = peak >= 0.99 ? "yes" : "no";
    button.textContent = `recording… ${(done * model.get("duration")).toFixed(1)} s`;
  }

  button.addEventListener("click", () => {
    if (!window.isSecureContext || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      model.send({ type: "error", reason: "insecure", detail: location.protocol + "//" + location.host });
      return;
    }
    if (!window.AudioWorkletNode) {
      model.send({ type: "error", reason: "unsupported", detail: navigator.userAgent });
      return;
    }
    button.disabled = true;
    el.dataset.state = "recording";
    record(model, model.get("duration"), meter)
      .then(({ samples, rate }) => {
        sentAt = performance.now();
        recordings += 1;
        el.dataset.recordings = String(recordings);
        model.send({ type: "recording", sample_rate: rate, n_samples: samples.length }, undefined, [samples.buffer]);
      })
      .catch((error) => model.send({ type: "error", reason: error.reason || "other", detail: error.detail || String(error) }))
      .finally(() => {
        button.disabled = false;
        button.textContent = "● record";
        bar.style.width = "0%";
        el.dataset.state = "idle";
      });
  });
  length.addEventListener("change", () => {
    model.set("duration", Number(length.value));
    model.save_changes();
  });
  file.addEventListener("change", async () => {
    if (!file.files.length) return;
    const bytes = await file.files[0].arrayBuffer();
    sentAt = performance.now();
    model.send({ type: "wav", name: file.files[0].name }, undefined, [bytes]);
    file.value = "";
  });
  model.on("msg:custom", (content) => {
    if (content.type === "ready") {
      button.disabled = false;
      file.disabled = false;
      el.dataset.ready = "yes";
      showMessage();
    }
  });
  model.on("change:durations", showLengths);
  model.on("change:duration", showLengths);
  model.on("change:message", showMessage);
  model.on("change:message_kind", showMessage);
  model.on("change:result", showResult);
  model.on("change:picture", () => showBytes(picture, "picture", "image/png"));
  model.on("change:audio", () => showBytes(player, "audio", "audio/wav"));
  showLengths();
  showBytes(picture, "picture", "image/png");
  showBytes(player, "audio", "audio/wav");
  result.innerHTML = model.get("result");
  model.send({ type: "hello" });  // Python answers "ready" (and its message) when a kernel is running
  return () => urls.forEach(({ url }) => URL.revokeObjectURL(url));
}

export default { render };
