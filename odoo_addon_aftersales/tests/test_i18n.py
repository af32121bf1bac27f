# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The module in Chinese: every term of the module is translated in zh_TW.po and
zh_CN.po, and the core's reasons reach the chatter and the error dialogs in the user's
language."""
import re

import polib

from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged
from odoo.tools.misc import file_path
from odoo.tools.translate import TranslationModuleReader

from .common import AftersalesCase

MODULE = "odoo_addon_aftersales"
LANGS = ("zh_TW", "zh_CN")
PLACEHOLDER = re.compile(r"%\([a-z_0-9]+\)[-#0 +]*\d*(?:\.\d+)?[sdifr]|%[sdr]|\{\{.*?\}\}")
TAG = re.compile(r"</?([a-zA-Z][a-zA-Z0-9]*)")


def catalog(lang):
    po = polib.pofile(file_path(f"{MODULE}/i18n/{lang}.po"))
    return {e.msgid: e for e in po if not e.obsolete}


@tagged("post_install", "-at_install")
class TestTranslations(AftersalesCase):
    def _module_terms(self):
        """The module's terms now, gathered as Odoo's export gathers them."""
        reader = TranslationModuleReader(self.env.cr, [MODULE])
        return {source for module, _t, _n, _r, source, _v, _c in reader if module == MODULE and source}

    def test_every_term_translated(self):
        terms = self._module_terms()
        self.assertGreater(len(terms), 800, "the export reads the module's terms")
        for lang in LANGS:
            entries = catalog(lang)
            missing = sorted(
                term for term in terms
                if term not in entries
                or not entries[term].msgstr.strip()
                or "fuzzy" in entries[term].flags
            )
            self.assertFalse(
                missing,
                f"{lang}.po: {len(missing)} terms untranslated or fuzzy (run tools/i18n-update.sh): "
                + "; ".join(repr(m) for m in missing),
            )

    def test_placeholders_and_tags_kept(self):
        for lang in LANGS:
            wrong = []
            for msgid, entry in catalog(lang).items():
                if not msgid or not entry.msgstr:
                    continue
                if sorted(PLACEHOLDER.findall(msgid)) != sorted(PLACEHOLDER.findall(entry.msgstr)):
                    wrong.append((msgid, entry.msgstr))
                elif sorted(TAG.findall(msgid)) != sorted(TAG.findall(entry.msgstr)):
                    wrong.append((msgid, entry.msgstr))
            self.assertFalse(wrong, f"{lang}.po: placeholders or tags changed: {wrong}")

    def test_scripts_differ(self):
        """zh_TW is Traditional, zh_CN Simplified, in the seeds' terms."""
        tw, cn = catalog("zh_TW"), catalog("zh_CN")
        self.assertEqual(tw["General manager"].msgstr, "總經理")
        self.assertEqual(cn["General manager"].msgstr, "总经理")
        self.assertEqual(tw["Customer return"].msgstr, "客退品")
        self.assertEqual(tw["Quality exception order"].msgstr, "品質異常單")
        self.assertEqual(cn["Quality exception order"].msgstr, "品质异常单")
        self.assertEqual(tw["Stock-in form"].msgstr, "入庫單")


@tagged("post_install", "-at_install")
class TestChineseReasons(AftersalesCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_TW")
        cls.host = cls._product("Pressure gauge", cls.cat_host, price=250.0)
        cls.acc = cls._product("Gauge fitting", cls.cat_acc, price=10.0)
        cls.order = cls._delivered_order({cls.host: 10, cls.acc: 30})
        cls.tw_user = new_test_user(
            cls.env, login="as_user_tw", lang="zh_TW",
            groups="odoo_addon_aftersales.group_aftersales_user,stock.group_stock_user",
        )

    def _as_tw(self, record):
        user = self.tw_user
        return record.with_user(user).with_context(lang=user.lang)

    def test_chatter_reasons_in_users_language(self):
        ret = self._return(self.order, {self.host: 4, self.acc: 14})
        ret.action_submit()
        ret.action_accept()
        receipt = ret.picking_ids.filtered(lambda p: p.picking_type_code == "incoming")
        self._validate(receipt.with_user(self.tw_user).with_context(lang="zh_TW"))
        self.assertEqual(ret.state, "in_repair")
        bodies = " ".join(ret.message_ids.mapped("body"))
        # R1 and R10 as the core words them in Traditional Chinese, the rule id kept
        self.assertIn("主機少於 5 套且配件少於 15 套，由售後維修翻新（R1）", bodies)
        self.assertIn("免費維修；能修的不換（R10）", bodies)
        self.assertIn("(R1)", bodies)
        self.assertNotIn("so after-sales repairs and refurbishes them", bodies)
        # the step's labels too
        self.assertIn("<b>分流</b>", bodies)
        # the same step for an English user reads English
        ret2 = self._return(self.order, {self.host: 1})
        ret2.action_submit()
        ret2.action_accept()
        receipt2 = ret2.picking_ids.filtered(lambda p: p.picking_type_code == "incoming")
        self._validate(receipt2.with_context(lang="en_US"))
        bodies2 = " ".join(ret2.message_ids.mapped("body"))
        self.assertIn("so after-sales repairs and refurbishes them (R1)", bodies2)

    def test_error_dialog_in_users_language(self):
        ret = self._return(self.order, {self.host: 1})
        with self.assertRaises(UserError) as caught:
            self._as_tw(ret).action_accept()  # a draft is submitted first
        message = str(caught.exception)
        self.assertIn("無法執行「接受」", message)
        self.assertIn("草稿", message)
