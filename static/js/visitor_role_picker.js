// The visit form's role picker offers only the chosen visitor's roles: it asks the admin's
// autocomplete with holder=<the visitor's id> (ActorRoleAdmin.get_search_results narrows to
// them), and changing the visitor clears the role picked for the one before. Without this
// script the picker offers every role, labelled with its holder, and saving a role of another
// actor is refused by the server ("This role belongs to another actor").
'use strict';
{
    const $ = django.jQuery;

    function narrowToVisitor(role, visitor) {
        const $role = $(role);
        // Django's autocomplete.js has made the picker; it is made again with the same
        // request parameters as there, plus the visitor.
        $role.select2('destroy');
        $role.select2({
            ajax: {
                data: (params) => ({
                    term: params.term,
                    page: params.page,
                    app_label: role.dataset.appLabel,
                    model_name: role.dataset.modelName,
                    field_name: role.dataset.fieldName,
                    holder: visitor.value
                })
            }
        });
        let holder = visitor.value;
        // select2 announces a pick with jQuery's change event, which only jQuery handlers see.
        $(visitor).on('change', () => {
            if (visitor.value !== holder && role.value) {
                $role.val(null).trigger('change');
            }
            holder = visitor.value;
        });
    }

    $(function() {
        const role = document.getElementById('id_visitor_role');
        const visitor = document.getElementById('id_visitor');
        if (role && visitor && $(role).hasClass('admin-autocomplete')) {
            narrowToVisitor(role, visitor);
        }
    });
}
