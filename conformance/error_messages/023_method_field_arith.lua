local Account = {}
function Account:deposit(v) self.balance = self.balance + v end
print(pcall(Account.deposit, Account, 10)) -- expect: false	conformance/error_messages/023_method_field_arith.lua:2: attempt to perform arithmetic on a nil value (field 'balance')
