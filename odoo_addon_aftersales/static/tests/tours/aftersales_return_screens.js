/** @odoo-module **/
// Issue 13: what an after-sales manager sees of a refund return awaiting approval.
import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("aftersales_return_screens", {
    steps: () => [
        {
            content: "Open the kanban of returns",
            trigger: ".o_switch_view.o_kanban",
            run: "click",
        },
        {
            content: "Columns in workflow order; no quick-create in a state column",
            trigger:
                ".o_kanban_renderer:not(:has(.o_kanban_quick_add)) .o_kanban_group:first-child .o_column_title:contains('Draft')",
        },
        {
            content: "Open the return awaiting approval",
            trigger:
                ".o_kanban_group:has(.o_column_title:contains('Awaiting approval')) .o_kanban_record",
            run: "click",
        },
        {
            content: "The status bar shows the refund path, here awaiting approval",
            trigger: ".o_statusbar_status button[aria-checked='true']:contains('Awaiting approval')",
        },
        {
            content: "The refund path only: no repair-path state",
            trigger: ".o_statusbar_status:not(:has(button:contains('Shipped back')))",
        },
        {
            content: "The form says who approves, and shows no approval button to a manager",
            trigger:
                ".o_form_view:not(:has(button[name=action_approve_stock_in])) .alert-info:contains('Approve stock-in: General manager')",
        },
        {
            content: "The chatter speaks in words",
            trigger: ".o-mail-Message:contains('Stock-in form'):contains('Refurbished → Awaiting approval')",
        },
    ],
});
