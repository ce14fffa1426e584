"""FastSelect renders the same options as Django's Select, escaped, without a template per option."""

from django import forms

from transmissions.forms import FastSelect


def test_options_are_escaped_selected_and_grouped():
    choices = [("", "—"), ("Groupe <b>", [(1, 'Dupont "Jo" <script>'), (2, "Martin & fils")])]
    html = FastSelect(choices=choices).render("usager", "2", attrs={"id": "id_usager"})
    assert html.startswith('<select name="usager" id="id_usager">') and html.endswith("</select>")
    assert '<optgroup label="Groupe &lt;b&gt;">' in html
    assert '<option value="1">Dupont &quot;Jo&quot; &lt;script&gt;</option>' in html
    assert '<option value="2" selected>Martin &amp; fils</option>' in html
    assert '<option value="">—</option>' in html and "<script>" not in html


def test_same_options_as_django_select():
    choices = [(str(n), f"Personne {n}") for n in range(5)]
    fast = FastSelect(choices=choices).render("p", "3")
    plain = forms.Select(choices=choices).render("p", "3")
    strip = lambda text: "".join(text.split())  # noqa: E731
    assert strip(fast) == strip(plain)
