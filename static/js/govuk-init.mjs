// Start GOV.UK Frontend's components (pages work without it).
import { initAll } from "../govuk/govuk-frontend.min.js";

initAll();
