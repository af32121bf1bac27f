# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "After-Sales Service",
    "summary": "Complaints, customer returns for repair or refund, routed by the "
    "aftersales_core rules through sales, inventory, repair, MRP and accounting",
    "version": "18.0.1.0.0",
    "category": "Services/After-Sales",
    "license": "LGPL-3",
    "author": "aftersales",
    "website": "https://github.com/aftersales/aftersales",
    "depends": [
        "sale_management",
        "sale_stock",
        "repair",
        "mrp",
        "purchase_stock",
        "account",
        "mail",
        "portal",
    ],
    "external_dependencies": {"python": ["aftersales-core", "pydantic"]},
    "data": [
        "security/aftersales_security.xml",
        "security/ir.model.access.csv",
        "data/aftersales_data.xml",
        "data/aftersales_sequences.xml",
        "views/aftersales_ticket_views.xml",
        "views/res_config_settings_views.xml",
        "views/aftersales_return_views.xml",
        "views/product_category_views.xml",
        "views/odoo_documents_views.xml",
        "views/menus.xml",
    ],
    "assets": {
        "web.assets_tests": ["odoo_addon_aftersales/static/tests/tours/*.js"],
    },
    "application": True,
    "installable": True,
}
