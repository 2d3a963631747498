from django import forms
from django.utils.translation import gettext_lazy as _

MAX_YAML_BYTES = 5 * 1024 * 1024


class ImportFrameworkForm(forms.Form):
    file = forms.FileField(label=_("Framework YAML file"),
                           help_text=_("A framework in the rightsmarker YAML format (.yaml or "
                                       ".yml), at most 5 MB."))

    def clean_file(self):
        f = self.cleaned_data["file"]
        if not f.name.lower().endswith((".yaml", ".yml")):
            raise forms.ValidationError(_("Choose a .yaml or .yml file."))
        if f.size > MAX_YAML_BYTES:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        try:
            return f.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise forms.ValidationError(_("The file is not UTF-8 text.")) from None
