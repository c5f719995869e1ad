// Address zones on a map (the settings page): the stored zones as polygons, and the new
// zone's points drawn by tapping the map into the «polygon» text area (which stays the
// source of truth: pasted points are drawn as they are typed). Leaflet is served by the app.

const LEAFLET = "/static/vendor/leaflet/leaflet-src.esm.js";
const MOSCOW = [55.75, 37.62];

function points(text) {
  const found = [];
  for (const line of text.split(/[\n;]+/)) {
    const parts = line.replace(/[[\]()]/g, " ").split(/[,\s]+/).filter(Boolean).map(Number);
    if (parts.length === 2 && parts.every(Number.isFinite)) found.push(parts);
  }
  return found;
}

async function start() {
  const box = document.querySelector("[data-zone-map]");
  if (!box) return;
  const L = await import(LEAFLET);
  const tiles = box.dataset.tiles;
  const map = L.map(box, { attributionControl: Boolean(tiles), zoomSnap: 0.25 });
  if (tiles) L.tileLayer(tiles, { maxZoom: 19 }).addTo(map);
  const shapes = JSON.parse(document.getElementById("zone-shapes").textContent || "[]");
  const bounds = [];
  for (const zone of shapes) {
    if (zone.polygon.length < 3) continue;
    L.polygon(zone.polygon, { color: "#2563eb", weight: 2, fillOpacity: 0.15 })
      .bindTooltip(zone.name).addTo(map);
    bounds.push(...zone.polygon);
  }
  if (bounds.length) map.fitBounds(bounds, { padding: [16, 16] });
  else map.setView(MOSCOW, 10);

  const area = document.querySelector("[data-testid=new-zone] textarea[name=polygon]");
  if (!area) return;
  const drawn = L.polygon([], { color: "#dc2626", weight: 2, dashArray: "4 4" }).addTo(map);
  const redraw = () => drawn.setLatLngs(points(area.value));
  map.on("click", (event) => {
    const { lat, lng } = event.latlng;
    const line = `${lat.toFixed(6)}, ${lng.toFixed(6)}`;
    area.value = area.value.trim() ? `${area.value.trim()}\n${line}` : line;
    redraw();
  });
  area.addEventListener("input", redraw);
  document.querySelector("[data-zone-clear]")?.addEventListener("click", () => {
    area.value = "";
    redraw();
  });
  redraw();
}

start();
