// Photos made smaller on the phone, and a signature pad for a finger, a stylus or a mouse.
const MAX_SIDE = 1600;
const QUALITY = 0.85;

async function decode(file) {
  try {
    return await createImageBitmap(file, { imageOrientation: "from-image" });
  } catch {
    // Some browsers decode more formats through <img> than through createImageBitmap.
    const url = URL.createObjectURL(file);
    try {
      const img = new Image();
      img.src = url;
      await img.decode();
      return img;
    } finally {
      URL.revokeObjectURL(url);
    }
  }
}

// A JPEG whose longer side is at most 1600 px (camera photos are 4000 px and more).
export async function downscale(file) {
  const image = await decode(file);
  const width = image.width || image.naturalWidth;
  const height = image.height || image.naturalHeight;
  const scale = Math.min(1, MAX_SIDE / Math.max(width, height));
  const canvas = document.createElement("canvas");
  canvas.width = Math.max(1, Math.round(width * scale));
  canvas.height = Math.max(1, Math.round(height * scale));
  const context = canvas.getContext("2d");
  context.fillStyle = "#fff"; // a transparent PNG would turn black as a JPEG
  context.fillRect(0, 0, canvas.width, canvas.height);
  context.imageSmoothingQuality = "high";
  context.drawImage(image, 0, 0, canvas.width, canvas.height);
  image.close?.();
  const blob = await new Promise((resolve) => canvas.toBlob(resolve, "image/jpeg", QUALITY));
  if (!blob) throw new Error("the photo could not be encoded");
  return blob;
}

export function signaturePad(canvas) {
  const context = canvas.getContext("2d");
  let drawing = null;
  let length = 0;
  const fit = () => {
    const ratio = window.devicePixelRatio || 1;
    canvas.width = Math.round(canvas.clientWidth * ratio);
    canvas.height = Math.round(canvas.clientHeight * ratio);
    context.setTransform(ratio, 0, 0, ratio, 0, 0);
    context.lineCap = "round";
    context.lineJoin = "round";
    context.strokeStyle = "#111";
    context.fillStyle = "#fff";
    context.fillRect(0, 0, canvas.clientWidth, canvas.clientHeight);
  };
  fit();
  const point = (event) => {
    const box = canvas.getBoundingClientRect();
    return { x: event.clientX - box.left, y: event.clientY - box.top, p: event.pressure || 0.5 };
  };
  canvas.addEventListener("pointerdown", (event) => {
    if (event.button > 0) return;
    drawing = point(event);
    canvas.setPointerCapture(event.pointerId);
    event.preventDefault();
  });
  canvas.addEventListener("pointermove", (event) => {
    if (!drawing) return;
    const events = event.getCoalescedEvents ? event.getCoalescedEvents() : [event];
    for (const e of events.length ? events : [event]) {
      const next = point(e);
      context.lineWidth = e.pointerType === "pen" ? 1 + next.p * 3 : 2.5;
      context.beginPath();
      context.moveTo(drawing.x, drawing.y);
      context.lineTo(next.x, next.y);
      context.stroke();
      length += Math.hypot(next.x - drawing.x, next.y - drawing.y);
      drawing = next;
    }
  });
  const end = () => { drawing = null; };
  canvas.addEventListener("pointerup", end);
  canvas.addEventListener("pointercancel", end);
  return {
    isEmpty: () => length < 30, // a dot or a slip of the finger is not a signature
    clear: () => { length = 0; fit(); },
    toBlob: () => new Promise((resolve) => canvas.toBlob(resolve, "image/png")),
  };
}
