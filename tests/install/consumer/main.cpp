// Uses the installed ember: builds a tensor, computes with it, checks the result.
#include <ember/ember.h>

#include <iostream>

int main() {
    ember::Tensor x = ember::tensor({{1., -1.}, {1., -1.}});
    ember::Tensor y = (x * 2 + 1).sum();
    if (y.item<double>() != 4.0) {
        std::cerr << "unexpected sum " << y.item<double>() << "\n";
        return 1;
    }
    try {
        (void)(ember::zeros({2, 3}) + ember::zeros({3, 2}));
        return 1;
    } catch (const ember::Error& e) {
        std::cout << "ember::Error as expected: " << e.what() << "\n";
    }
    std::cout << "consumer ok\n";
    return 0;
}
