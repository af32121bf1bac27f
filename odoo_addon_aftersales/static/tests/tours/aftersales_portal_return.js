/** @odoo-module **/
// Issue 10: a customer files a return request in the portal and follows it.
import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("aftersales_portal_return", {
    url: "/my",
    steps: () => [
        {
            content: "Open 'Return products' from the portal home",
            trigger: ".o_portal_index_card a[href='/my/returns/new']",
            run: "click",
        },
        {
            content: "Pick the delivered gauge",
            trigger: ".o_aftersales_deliveries tr:contains('Portal gauge PG-1') input[name='move_ids']",
            run: "click",
        },
        {
            content: "Return two of them",
            trigger: ".o_aftersales_deliveries tr:contains('Portal gauge PG-1') input[name^='quantity_']",
            run: "edit 2",
        },
        {
            content: "Say what is wrong with them",
            trigger: ".o_aftersales_deliveries tr:contains('Portal gauge PG-1') input[name^='problem_']",
            run: "edit reads zero",
        },
        {
            content: "Give the reason",
            trigger: "textarea[name='reason']",
            run: "edit The gauges read zero after installation.",
        },
        {
            content: "Request the return",
            trigger: ".o_aftersales_submit_return",
            run: "click",
        },
        {
            content: "The request is received and listed with its state and next step",
            trigger: ".o_aftersales_created",
        },
        {
            content: "Listed as a draft, waiting for the business to submit it",
            trigger: ".o_aftersales_row:contains('Portal gauge PG-1') .o_aftersales_state:contains('Draft')",
        },
        {
            content: "The next step says who acts",
            trigger: ".o_aftersales_row:contains('Portal gauge PG-1') .o_aftersales_next_step:contains('Submit')",
        },
        {
            content: "Follow the return",
            trigger: ".o_aftersales_row:contains('Portal gauge PG-1') a",
            run: "click",
        },
        {
            content: "Its page shows the state, the next step and the returned line",
            trigger:
                ".o_aftersales_portal_page:has(.o_aftersales_state:contains('Draft')):has(.o_aftersales_next_step:contains('Submit')) .o_aftersales_return_lines:contains('Portal gauge PG-1')",
        },
    ],
});
