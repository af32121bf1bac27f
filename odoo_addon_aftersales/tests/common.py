# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import Form, TransactionCase, new_test_user


class AftersalesCase(TransactionCase):
    """Products in host/accessory categories, a customer, users per role, and a
    delivered and invoiced sale order to return goods from."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True, mail_create_nolog=True))
        cls.company = cls.env.company
        # these tests deliver unpaid orders: the payment cut-off (R14) and the other
        # order processing gates are tested in test_order_processing
        cls.company.aftersales_order_processing = False
        cls.warehouse = cls.env["stock.warehouse"].search([("company_id", "=", cls.company.id)], limit=1)
        cls.stock = cls.warehouse.lot_stock_id
        cls.cat_host = cls.env["product.category"].create({"name": "Gauges", "aftersales_product_class": "host"})
        cls.cat_acc = cls.env["product.category"].create({"name": "Fittings", "aftersales_product_class": "accessory"})
        cls.customer = cls.env["res.partner"].create({"name": "Ocean Shipping Ltd", "email": "qa@ocean.example"})
        grp = "odoo_addon_aftersales.group_aftersales_"
        cls.sales_user = new_test_user(
            cls.env, login="as_sales", groups="sales_team.group_sale_salesman,stock.group_stock_user"
        )
        cls.as_user = new_test_user(cls.env, login="as_user", groups=f"{grp}user,stock.group_stock_user")
        cls.as_manager = new_test_user(cls.env, login="as_manager", groups=f"{grp}manager")
        cls.gm_user = new_test_user(cls.env, login="as_gm", groups=f"{grp}general_manager,stock.group_stock_user")
        cls.rnd_user = new_test_user(cls.env, login="as_rnd", groups=f"{grp}rnd")

    @classmethod
    def _product(cls, name, category, price=100.0):
        return cls.env["product.product"].create({
            "name": name,
            "type": "consu",
            "is_storable": True,
            "categ_id": category.id,
            "list_price": price,
            "invoice_policy": "delivery",
        })

    @classmethod
    def _delivered_order(cls, quantities, invoice=True):
        """A confirmed sale order whose delivery is validated (and invoiced)."""
        for product, qty in quantities.items():
            cls.env["stock.quant"]._update_available_quantity(product, cls.stock, qty)
        order = cls.env["sale.order"].create({
            "partner_id": cls.customer.id,
            "order_line": [(0, 0, {"product_id": p.id, "product_uom_qty": q}) for p, q in quantities.items()],
        })
        order.action_confirm()
        picking = order.picking_ids
        for move in picking.move_ids:
            move.quantity = move.product_uom_qty
        picking.move_ids.picked = True
        picking.button_validate()
        if invoice:
            invoice_move = order._create_invoices()
            invoice_move.action_post()
        return order

    def _return(self, order, quantities, purpose="repair", **vals):
        moves = order.picking_ids.move_ids.filtered(lambda m: m.picking_code == "outgoing" and m.state == "done")
        lines = []
        for product, qty in quantities.items():
            move = moves.filtered(lambda m, p=product: m.product_id == p)
            lines.append((0, 0, {"move_id": move.id, "quantity": qty, "problem": "does not read"}))
        return self.env["aftersales.return"].create({
            "partner_id": self.customer.id,
            "purpose": purpose,
            "reason": "reads zero after installation",
            "line_ids": lines,
            **vals,
        })

    def _validate(self, picking, quantities=None):
        """Validate a picking, fully or (``quantities`` by product) partially, no backorder prompt."""
        for move in picking.move_ids:
            move.quantity = (quantities or {}).get(move.product_id, move.product_uom_qty)
        picking.move_ids.picked = True
        res = picking.button_validate()
        if isinstance(res, dict) and res.get("res_model") == "stock.backorder.confirmation":
            wizard = Form(self.env["stock.backorder.confirmation"].with_context(**res["context"])).save()
            wizard.process()
        return picking

    def _qty(self, product, location):
        quants = self.env["stock.quant"].search([("product_id", "=", product.id), ("location_id", "=", location.id)])
        return sum(quants.mapped("quantity"))
