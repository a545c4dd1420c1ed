data "entraauth_authentication_methods_policy" "current" {}

# Every method configuration the tenant has, with its state and the resource
# type of this provider that manages it (null when there is none, such as
# hardware OATH tokens): the starting point for import blocks.
output "method_configurations" {
  value = {
    for c in data.entraauth_authentication_methods_policy.current.authentication_method_configurations :
    c.id => { state = c.state, resource_type = c.resource_type }
  }
}

# The methods that are on.
output "enabled_methods" {
  value = [
    for c in data.entraauth_authentication_methods_policy.current.authentication_method_configurations : c.id if c.state == "enabled"
  ]
}
