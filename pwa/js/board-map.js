// The day on a map: Leaflet served by the app; each master's route (start, the visits in
// order, end) in the master's colour, the queue as grey points. With no tile server
// configured there is no tile layer at all: the routes are drawn over a plain plot.

import { t } from "./board-i18n.js";
import { el } from "./board-dialog.js";
import { clockOf } from "./board-time.js";

const LEAFLET = "/static/vendor/leaflet/leaflet-src.esm.js";
let leaflet = null;

function has(p) {
  return p && p.lat != null && p.lon != null;
}

export class BoardMap {
  constructor(box, { tiles, zone }) {
    this.box = box;
    this.tiles = tiles;
    this.zone = zone;
    this.map = null;
    this.layer = null;
  }

  async render(board) {
    if (!leaflet) leaflet = await import(LEAFLET);
    const L = leaflet;
    if (!this.map) {
      const canvas = el("div", { class: `board-map-canvas${this.tiles ? "" : " plain"}`, "data-testid": "map" });
      this.note = el("p", { class: "hint", text: this.tiles ? "" : t("No map tiles configured: routes over a plain plot") });
      this.box.replaceChildren(this.note, canvas);
      this.map = L.map(canvas, { attributionControl: Boolean(this.tiles), zoomSnap: 0.25 });
      if (this.tiles) L.tileLayer(this.tiles, { maxZoom: 19 }).addTo(this.map);
      this.layer = L.layerGroup().addTo(this.map);
    }
    this.layer.clearLayers();
    const points = [];
    for (const m of board.masters) {
      const visits = [...m.visits].sort((a, b) => a.visit.sequence - b.visit.sequence)
        .filter((item) => item.visit.latitude != null && item.visit.longitude != null);
      const route = [];
      if (has(m.start)) {
        route.push([m.start.lat, m.start.lon]);
        L.circleMarker([m.start.lat, m.start.lon], { radius: 5, color: m.color, fillColor: "#fff", fillOpacity: 1, weight: 3 })
          .bindTooltip(`${m.full_name}: ${t("Start")}`).addTo(this.layer);
      }
      visits.forEach((item, index) => {
        const v = item.visit;
        route.push([v.latitude, v.longitude]);
        L.circleMarker([v.latitude, v.longitude], { radius: 8, color: "#fff", weight: 2, fillColor: m.color, fillOpacity: 1, className: "route-visit" })
          .bindTooltip(`${index + 1}. ${clockOf(v.planned_start, this.zone)} ${item.order_number} · ${item.client_name}`).addTo(this.layer);
      });
      if (has(m.end) && (route.length > 1 || !has(m.start))) {
        route.push([m.end.lat, m.end.lon]);
        L.circleMarker([m.end.lat, m.end.lon], { radius: 5, color: m.color, fillColor: m.color, fillOpacity: 1, weight: 1 })
          .bindTooltip(`${m.full_name}: ${t("End")}`).addTo(this.layer);
      }
      if (route.length > 1) L.polyline(route, { color: m.color, weight: 4, opacity: 0.85, className: "route-line" }).addTo(this.layer);
      points.push(...route);
    }
    for (const q of board.queue.filter(has)) {
      points.push([q.lat, q.lon]);
      L.circleMarker([q.lat, q.lon], { radius: 6, color: "#616161", fillColor: "#9e9e9e", fillOpacity: 0.9, weight: 1, className: "queue-point" })
        .bindTooltip(`${q.number} · ${q.client_name} · ${q.address}`).addTo(this.layer);
    }
    this.map.invalidateSize();
    if (points.length) this.map.fitBounds(L.latLngBounds(points), { padding: [24, 24], maxZoom: 15 });
    else {
      this.map.setView([55.75, 37.62], 10);
      this.note.textContent = t("Nothing with coordinates on this day");
    }
  }
}
