// Draws every Vega-Lite map of the page with the locally served Vega bundle
// (/static/vega-bundle.js sets window.vegaEmbed). Each map container names the
// <script type="application/json"> element that holds its spec. When a map is drawn its
// container gets data-rendered="true" ("error" if it failed).

const OPTIONS = {
  renderer: "svg", // SVG keeps each region a DOM element with its aria-label and link
  actions: false, // no "open in the Vega editor" menu: it would link off-site
  loader: { target: "_self" }, // a click on a region opens its page in this tab
};

async function draw(container) {
  const source = document.getElementById(container.dataset.vegaSpec);
  try {
    const spec = JSON.parse(source.textContent);
    container.replaceChildren();
    await window.vegaEmbed(container, spec, OPTIONS);
    container.dataset.rendered = "true";
  } catch (err) {
    container.dataset.rendered = "error";
    container.textContent = "The map could not be drawn.";
    console.error("smartspec map", container.id, err);
  }
}

await Promise.all(Array.from(document.querySelectorAll("[data-vega-spec]"), draw));
